// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import type { Socket } from 'node:net';
import { VmError } from './errors.js';
import { checkWaitOptions } from './call-options.js';
import { failInput } from './input-checks.js';
import type { VmCore } from './vm-core.js';
import { assertVmState } from './vm-state.js';
import {
  DEFAULT_VSOCK_CONNECT_TIMEOUT_MS,
  connectVsockSocket,
  type VsockConnectOptions,
} from './vsock-connect.js';

export type { VsockConnectOptions } from './vsock-connect.js';

// Where the vsock device's socket comes from: the new VM's device, a restored VM's override, or
// the path the snapshot recorded.
const VSOCK_FIELDS = ['vsock.uds_path', 'vsockOverride.uds_path', 'snapshotVsockPath'] as const;
const MAX_PORT = 0xff_ff_ff_ff;

/** Checks a vsock port: Firecracker reads it as an unsigned 32-bit integer. */
export const checkVsockPort = (port: unknown, subject = 'port'): number =>
  Number.isInteger(port) && (port as number) >= 0 && (port as number) <= MAX_PORT
    ? (port as number)
    : failInput('ERR_INVALID_INPUT', subject, `expected an integer from 0 to ${MAX_PORT}`, port);

/**
 * The host path of the VM's vsock socket (inside the jail for a jailed VM); `ERR_WRONG_STATE`
 * naming `caller` when the VM has no vsock device.
 */
export const resolveVsockPath = (core: VmCore, caller: string): string => {
  for (const field of VSOCK_FIELDS) {
    const resource = core.files.get(field);
    if (resource !== undefined) {
      return resource.effectivePath;
    }
  }
  throw new VmError(
    'ERR_WRONG_STATE',
    `${caller}: this VM has no vsock device: configure vsock (or a restored VM's vsockOverride)`,
  );
};

/** See `vm.connectVsock`. */
export const connectVmVsock = async (
  core: VmCore,
  port: number,
  options: VsockConnectOptions | undefined,
): Promise<Socket> => {
  checkVsockPort(port);
  const wait = checkWaitOptions(options, DEFAULT_VSOCK_CONNECT_TIMEOUT_MS);
  const caller = `vm.connectVsock(${port})`;
  // Firecracker reads host connections only while the guest runs: a paused VM would never answer.
  assertVmState(core.view(), ['running'], caller);
  const udsPath = resolveVsockPath(core, caller);
  const socket = await connectVsockSocket({ udsPath, port, caller }, wait);
  return socket;
};
