// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import path from 'node:path';
import { Vm } from '@kindling/vm';
import { VmmInstallation } from '@kindling/vmm-core';
import { describeSelf } from '../host/liveness.js';
import type { StatePaths } from '../host/state-paths.js';
import {
  createVmFolder,
  removeVmFolder,
  writeVmRecord,
  type VmRecord,
} from '../host/vm-records.js';
import { buildConfiguration, buildExecutor } from './build-configuration.js';
import { claimName } from './claim-name.js';
import type { LaunchSpec } from './launch-spec.js';
import { describeNetwork, describeVmm, keepOutput, openNetwork } from './launched-parts.js';

/** A started VM, its network, and what the command recorded of it. */
export interface LaunchedVm {
  readonly vm: Vm;
  /** Disposed of after the VM has ended (`holdVm`). */
  readonly network?: AsyncDisposable;
  readonly record: VmRecord;
}

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
  let network: Awaited<ReturnType<typeof openNetwork>> | undefined;
  try {
    network = await openNetwork(spec, paths);
    const configuration = buildConfiguration(spec, folder);
    vm = await Vm.prepare({
      installation: new VmmInstallation(spec.binaries),
      executor: buildExecutor(spec, folder, network),
      configuration: network === undefined ? configuration : network.apply(configuration),
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
      // The folder Firecracker's "/" is: the jail's root, or "/" itself.
      rootPath: path.dirname(vm.resolveEffectivePath('/.root')),
      metricsPath: vm.resolveEffectivePath(metricsPath),
      serialPath,
      ...(machine?.vcpu_count === undefined ? {} : { vcpus: machine.vcpu_count }),
      ...(machine?.mem_size_mib === undefined ? {} : { memMib: machine.mem_size_mib }),
      source: spec.source,
      ...(network === undefined ? {} : { network: describeNetwork(network) }),
      startedAt: new Date().toISOString(),
    };
    await writeVmRecord(paths, record);
    return { vm, record, ...(network === undefined ? {} : { network }) };
  } catch (error) {
    await vm?.[Symbol.asyncDispose]();
    await network?.[Symbol.asyncDispose]();
    await removeVmFolder(paths, spec.name);
    throw error;
  }
};
