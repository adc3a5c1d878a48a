// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { createWriteStream } from 'node:fs';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { readProcessStartTime } from '@kindling/executor';
import { Vm } from '@kindling/vm';
import { VmmInstallation } from '@kindling/vmm-core';
import { CliError, invalidInput } from '../errors.js';
import { describeSelf, isAlive } from '../host/liveness.js';
import type { StatePaths } from '../host/state-paths.js';
import {
  createVmFolder,
  readVmRecord,
  removeVmFolder,
  writeVmRecord,
  type VmRecord,
} from '../host/vm-records.js';
import { buildConfiguration, buildExecutor } from './build-configuration.js';
import { VM_NAME, type LaunchSpec } from './launch-spec.js';

/** A started VM and what the command recorded of it. */
export interface LaunchedVm {
  readonly vm: Vm;
  readonly record: VmRecord;
}

/** Refuses a bad or taken name; a record whose owner is gone is stale and goes. */
const claimName = async (paths: StatePaths, name: string): Promise<void> => {
  if (!VM_NAME.test(name)) {
    throw invalidInput(
      '--name',
      'expected 1 to 40 letters, digits or "-", starting with a letter or digit',
      name,
    );
  }
  const existing = await readVmRecord(paths, name);
  if (existing !== undefined && (await isAlive(existing.owner))) {
    throw new CliError(
      'ERR_VM_NAME_TAKEN',
      `A VM named "${name}" is running (pid ${existing.vmm.pid}): choose another --name, or \`kindling stop ${name}\` first`,
    );
  }
  await removeVmFolder(paths, name);
};

// Firecracker's stdout is the serial console: kept in the VM's folder for `kindling logs`.
const keepOutput = (
  stream: Readable | null,
  file: string,
  also?: (chunk: Buffer) => void,
): void => {
  if (stream === null) {
    return;
  }
  const sink = createWriteStream(file, { flags: 'a', mode: 0o600 });
  stream.on('data', (chunk: Buffer) => {
    sink.write(chunk);
    also?.(chunk);
  });
  stream.once('end', () => sink.end());
};

const describeVmm = async (vm: Vm): Promise<VmRecord['vmm']> => {
  const pid = vm.pid;
  const startTime = pid === undefined ? undefined : await readProcessStartTime(pid);
  if (pid === undefined || startTime === undefined) {
    throw new CliError('ERR_SUPERVISOR_FAILED', 'Firecracker ended as soon as it started');
  }
  return { pid, startTime };
};

/**
 * Prepares and starts a VM from a spec, its serial console kept in its folder (and passed to
 * `onSerial`), and records it; on any failure what was made is removed again.
 */
export const launchVm = async (
  spec: LaunchSpec,
  paths: StatePaths,
  onSerial?: (chunk: Buffer) => void,
): Promise<LaunchedVm> => {
  await claimName(paths, spec.name);
  const folder = await createVmFolder(paths, spec.name);
  let vm: Vm | undefined;
  try {
    vm = await Vm.prepare({
      installation: new VmmInstallation(spec.binaries),
      executor: buildExecutor(spec, folder),
      configuration: buildConfiguration(spec, folder),
      stateDir: paths.processes,
      socketWaitTimeoutMs: spec.socketWaitTimeoutMs,
      ...(spec.jail === undefined || spec.jail.uid === 0
        ? {}
        : { ownership: { kind: 'downgraded', uid: spec.jail.uid, gid: spec.jail.gid } }),
    });
    await vm.start();
    const serialPath = path.join(folder, 'serial.log');
    keepOutput(vm.takeStdout(), serialPath, onSerial);
    keepOutput(vm.takeStderr(), path.join(folder, 'firecracker.stderr'));
    const configured = vm.configuration;
    const machine = 'machineConfig' in configured ? configured.machineConfig : undefined;
    const vsockPath =
      configured.kind === 'restored-from-snapshot'
        ? (configured.vsockOverride?.uds_path ?? configured.snapshotVsockPath)
        : configured.vsock?.uds_path;
    const metricsPath = configured.metrics?.metrics_path ?? path.join(folder, 'metrics.ndjson');
    const record: VmRecord = {
      name: spec.name,
      id: spec.name,
      vmm: await describeVmm(vm),
      owner: await describeSelf(),
      detached: spec.detached,
      jailed: spec.jail !== undefined,
      socketPath: vm.socketPath ?? path.join(folder, 'api.sock'),
      ...(vsockPath === undefined ? {} : { vsockPath: vm.resolveEffectivePath(vsockPath) }),
      rootPath: vm.resolveEffectivePath('/'),
      metricsPath: vm.resolveEffectivePath(metricsPath),
      serialPath,
      ...(machine?.vcpu_count === undefined ? {} : { vcpus: machine.vcpu_count }),
      ...(machine?.mem_size_mib === undefined ? {} : { memMib: machine.mem_size_mib }),
      source: spec.source,
      startedAt: new Date().toISOString(),
    };
    await writeVmRecord(paths, record);
    return { vm, record };
  } catch (error) {
    await vm?.[Symbol.asyncDispose]();
    await removeVmFolder(paths, spec.name);
    throw error;
  }
};
