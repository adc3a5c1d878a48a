// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import path from 'node:path';
import { JailedExecutor, UnrestrictedExecutor, type VmmExecutor } from '@kindling/executor';
import type { VmConfiguration } from '@kindling/vm';
import { JailerArguments, VmmArguments, type CommandModifier } from '@kindling/vmm-core';
import type { LaunchSpec } from './launch-spec.js';

/** What a VM's files are called: host paths for an unrestricted VM, jail paths for a jailed one. */
const filesOf = (spec: LaunchSpec, folder: string) => {
  const base = spec.jail === undefined ? folder : '/';
  return {
    metricsPath: path.join(base, 'metrics.ndjson'),
    vsockPath: path.join(base, 'vsock.sock'),
  };
};

/** Where Firecracker runs: in the VM's network namespace, when it has one. */
export interface ExecutorNetwork {
  readonly commandModifiers: readonly CommandModifier[];
  readonly netnsPath: string | undefined;
}

/**
 * The executor of a spec: under the jailer, or not, with the VM's name as Firecracker's id, and
 * in the VM's network namespace when there is one (`ip netns exec`, or the jailer's `--netns`).
 */
export const buildExecutor = (
  spec: LaunchSpec,
  folder: string,
  network?: ExecutorNetwork,
): VmmExecutor =>
  spec.jail === undefined
    ? new UnrestrictedExecutor({
        vmmArguments: new VmmArguments({ id: spec.name, apiSocket: path.join(folder, 'api.sock') }),
        ...(network === undefined ? {} : { commandModifiers: network.commandModifiers }),
      })
    : new JailedExecutor({
        vmmArguments: new VmmArguments({}),
        jailerArguments: new JailerArguments({
          id: spec.name,
          execFile: spec.binaries.firecrackerPath,
          uid: spec.jail.uid,
          gid: spec.jail.gid,
          ...(network?.netnsPath === undefined ? {} : { netns: network.netnsPath }),
        }),
      });

/**
 * The `Vm` configuration of a spec: its items or snapshot, plus a metrics file (read by
 * `kindling metrics`) and, when asked, a vsock device, both in the VM's own folder.
 */
export const buildConfiguration = (spec: LaunchSpec, folder: string): VmConfiguration => {
  const files = filesOf(spec, folder);
  const metrics = { metrics_path: files.metricsPath };
  if (spec.boot.kind === 'restore') {
    return {
      kind: 'restored-from-snapshot',
      snapshotPath: spec.boot.snapshotPath,
      memBackend: { type: 'file', path: spec.boot.memPath },
      resume: spec.boot.resume,
      metrics,
      ...(spec.boot.vsockPath === undefined
        ? {}
        : { vsockOverride: { uds_path: spec.boot.vsockPath } }),
    };
  }
  const { items, vsockCid } = spec.boot;
  return {
    ...items,
    metrics: items.metrics ?? metrics,
    ...(vsockCid === undefined
      ? {}
      : { vsock: { guest_cid: vsockCid, uds_path: files.vsockPath } }),
  };
};
