// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { rmSync } from 'node:fs';
import { onHostExit } from '@kindling/process';
import { DirectSpawner } from '@kindling/spawner';
import { GONE } from './host-tools.js';
import { releaseIpForwardSync } from './ip-forward-sync.js';
import type { ResolvedVmNetworkOptions } from './network-options.js';
import type { NetworkPlan } from './network-plan.js';
import type { NetworkRecord } from './network-records.js';
import { runCommandSync } from './run-command-sync.js';

/** What a network's host-exit sweep removes, and how. */
export interface HostExitSweepRequest {
  readonly plan: NetworkPlan;
  /** The records folder and this network's record file. */
  readonly dir: string;
  readonly file: string;
  /** This process as the record's owner (the lock's too). */
  readonly owner: NetworkRecord['owner'];
  readonly options: Pick<
    ResolvedVmNetworkOptions,
    'spawner' | 'iproute2Path' | 'nftPath' | 'sysctlPath'
  >;
}

/**
 * Removes a network synchronously as `tearDownNetwork` does (egress table and ip_forward, then the
 * namespace with its veth, or the TAP), then its record; what could not go keeps the record, for
 * `reconcileNetwork()`, which removes every piece whether or not it is still there.
 */
export const removeNetworkSync = (request: HostExitSweepRequest): boolean => {
  const { plan, options } = request;
  const ip = options.iproute2Path;
  const { egress, netns } = plan;
  const results = [
    ...(egress === undefined
      ? []
      : [
          runCommandSync(
            options.nftPath,
            ['delete', 'table', 'ip', egress.hostTable],
            GONE.nftTable,
          ),
          releaseIpForwardSync({ ...request, sysctlPath: options.sysctlPath }),
        ]),
    ...(netns === undefined
      ? [runCommandSync(ip, ['link', 'delete', 'dev', plan.tap], GONE.link)]
      : [
          runCommandSync(ip, ['link', 'delete', 'dev', netns.vethHost], GONE.link),
          runCommandSync(ip, ['netns', 'delete', netns.name], GONE.netns),
        ]),
  ];
  if (results.includes(false)) {
    return false;
  }
  rmSync(request.file, { force: true });
  return true;
};

/**
 * Has Node going down remove the network (through `onHostExit` of `@kindling/process`, after its
 * VMs are killed) when `ip`, `nft` and `sysctl` run directly: an elevated spawner (sudo, su) may
 * ask for a password and cannot run while Node exits, so its networks stay recorded for
 * `reconcileNetwork()`. The result stops it (a no-op when nothing was registered).
 */
export const sweepNetworkOnHostExit = (request: HostExitSweepRequest): (() => void) => {
  const { spawner } = request.options;
  if (spawner !== undefined && !(spawner instanceof DirectSpawner)) {
    return () => {};
  }
  return onHostExit(() => {
    removeNetworkSync(request);
  });
};
