// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { createWriteStream } from 'node:fs';
import type { Readable } from 'node:stream';
import { readProcessStartTime } from '@kindling/executor';
import { createVmNetwork, type VmNetwork } from '@kindling/ext-network';
import type { Vm } from '@kindling/vm';
import { CliError } from '../errors.js';
import type { StatePaths } from '../host/state-paths.js';
import type { VmRecord } from '../host/vm-records.js';
import type { LaunchSpec } from './launch-spec.js';

// Firecracker's stdout is the serial console: kept in the VM's folder for `kindling logs`.
export const keepOutput = (
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

export const describeVmm = async (vm: Vm): Promise<VmRecord['vmm']> => {
  const pid = vm.pid;
  const startTime = pid === undefined ? undefined : await readProcessStartTime(pid);
  if (pid === undefined || startTime === undefined) {
    throw new CliError('ERR_SUPERVISOR_FAILED', 'Firecracker ended as soon as it started');
  }
  return { pid, startTime };
};

/**
 * The VM's network when the spec asks for one, recorded in the SDK's state folder (where
 * `kindling reconcile` looks for it) as owned by this process. A jailed Firecracker that drops
 * to a user gets a TAP of that user's.
 */
export const openNetwork = (
  spec: LaunchSpec,
  paths: StatePaths,
): Promise<VmNetwork> | undefined => {
  const wanted = spec.network;
  const jail = spec.jail;
  return wanted === undefined
    ? undefined
    : createVmNetwork({
        vmId: spec.name,
        namespace: wanted.namespace,
        egress: wanted.egress,
        ...(wanted.pool === undefined ? {} : { pool: wanted.pool }),
        ...(jail === undefined || jail.uid === 0
          ? {}
          : { tapOwner: { uid: jail.uid, gid: jail.gid } }),
        stateDir: paths.processes,
      });
};

/** What `ls` and `inspect` show of a VM's network. */
export const describeNetwork = (network: VmNetwork): NonNullable<VmRecord['network']> => ({
  tap: network.tapName,
  ...(network.netns === undefined ? {} : { netns: network.netns }),
  guestAddress: network.guest.address,
  gateway: network.guest.gateway,
  hostAddress: network.hostAddress,
  reachableAddress: network.reachableAddress,
  guestMac: network.guest.mac,
  pool: network.plan.pool,
  egress: network.plan.egress !== undefined,
});
