// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { unlinkSync } from 'node:fs';
import { VsockDevice } from '../../guest/vsock-device.js';
import { parseLevelFilter } from '../firecracker-logger.js';
import { MetricsAlreadyInitialized } from '../firecracker-metrics.js';
import { describeIoError } from '../../rust/io-error.js';
import { OutputFile } from '../output-file.js';
import type { Body } from './vmm-action.js';
import type { ActionHandlers, VmmCore } from './vmm-core.js';
import { faultOutcome, NO_CONTENT, type VmmOutcome } from './vmm-outcome.js';

const VSOCK_BIND =
  'Vsock config error: Cannot create backend for vsock device: Error binding to the host-side Unix socket';

const text = (value: unknown): string | undefined =>
  typeof value === 'string' ? value : undefined;
const flag = (value: unknown): boolean | undefined =>
  typeof value === 'boolean' ? value : undefined;

/** Binds a vsock device at `udsPath` (resolved in the chroot) for the guest's services. */
export const bindVsock = (core: VmmCore, udsPath: string): Promise<VsockDevice> => {
  const { context } = core;
  return VsockDevice.bind(
    context.resolveSocketPath(udsPath),
    context.guest,
    { kinds: context.vsockServices, execProtocol: context.execProtocol },
    {
      onConnectionAdded: () => context.metrics.inc('vsock', 'conns_added'),
      onConnectionKilled: () => context.metrics.inc('vsock', 'conns_killed'),
    },
  );
};

const putVsock = async (core: VmmCore, body: Body): Promise<VmmOutcome> => {
  const previous = core.resources.vsock;
  if (previous !== undefined) {
    // Firecracker drops the old device, then removes its socket file before binding the new one.
    core.resources.vsock = undefined;
    core.context.guest.vsock = undefined;
    let removal: unknown;
    try {
      unlinkSync(previous.device.udsPath);
    } catch (error) {
      removal = error;
    }
    await previous.device.close();
    if (removal !== undefined) {
      return faultOutcome(`${VSOCK_BIND}: ${describeIoError(removal).display}`);
    }
  }
  const udsPath = String(body.uds_path);
  let device: VsockDevice;
  try {
    device = await bindVsock(core, udsPath);
  } catch (error) {
    return faultOutcome(`${VSOCK_BIND}: ${describeIoError(error).display}`);
  }
  core.resources.vsock = {
    vsock_id: text(body.vsock_id) ?? null,
    guest_cid: Number(body.guest_cid),
    uds_path: udsPath,
    device,
  };
  core.context.guest.vsock = device;
  return NO_CONTENT;
};

const putLogger = (core: VmmCore, body: Body): VmmOutcome => {
  const { context } = core;
  const logPath = text(body.log_path);
  const level = text(body.level);
  try {
    // A PUT without a level resets it to Info.
    context.logger.update(
      {
        logPath: logPath === undefined ? undefined : context.resolvePath(logPath),
        level: level === undefined ? undefined : parseLevelFilter(level),
        showLevel: flag(body.show_level),
        showLogOrigin: flag(body.show_log_origin),
        module: text(body.module),
      },
      true,
    );
  } catch (error) {
    return faultOutcome(
      `Logger error: Failed to open target file: ${describeIoError(error).display}`,
    );
  }
  return NO_CONTENT;
};

const putMetrics = (core: VmmCore, body: Body): VmmOutcome => {
  try {
    core.context.metrics.init(core.context.resolvePath(String(body.metrics_path)));
  } catch (error) {
    const reason =
      error instanceof MetricsAlreadyInitialized ? error.message : describeIoError(error).display;
    return faultOutcome(
      `Metrics error: Cannot initialize the metrics system due to bad user input: ${reason}`,
    );
  }
  return NO_CONTENT;
};

const putSerial = (core: VmmCore, body: Body): VmmOutcome => {
  const path = text(body.serial_out_path);
  if (path !== undefined) {
    try {
      core.context.guest.serial.redirect(new OutputFile(core.context.resolvePath(path)));
    } catch (error) {
      return faultOutcome(
        `Serial config error: Failed to open the serial output file: ${describeIoError(error).display}`,
      );
    }
  }
  return NO_CONTENT;
};

/** The devices and outputs that reach the host: vsock socket, logger, metrics, serial output. */
export const IO_HANDLERS = {
  PutVsock: (core, action) => putVsock(core, action.body),
  PutLogger: (core, action) => putLogger(core, action.body),
  PutMetrics: (core, action) => putMetrics(core, action.body),
  PutSerial: (core, action) => putSerial(core, action.body),
} satisfies Partial<ActionHandlers>;
