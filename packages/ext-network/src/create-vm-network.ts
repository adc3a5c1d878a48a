// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { defaultStateDir } from '@kindling/process';
import { AddressPool } from './address-pool.js';
import { NetworkError } from './errors.js';
import { createHostTools } from './host-tools.js';
import { createPlanToken, makePlan } from './make-plan.js';
import { resolveProfiledNetworkOptions, type VmNetworkOptions } from './network-profile.js';
import { claimSubnet, networkRecordsDir, removeNetworkRecord } from './network-records.js';
import { setUpNetwork, tearDownNetwork, type RecordPlace } from './network-steps.js';
import { sweepNetworkOnHostExit } from './host-exit-sweep.js';
import { VmNetwork } from './vm-network.js';

/**
 * Makes a VM's network on the host and records it in the state folder first: a /30 of the pool
 * (the lowest free one), a TAP device with the host's address, up (owned by `tapOwner` for a
 * jailed Firecracker), and on request a network namespace of its own (veth pair to the host, NAT
 * so the host reaches the guest at `reachableAddress`) and egress (ip_forward and an nftables
 * masquerade). A `profile` that allows no network, or no egress when `egress` is asked for, is
 * refused (`ERR_PROFILE_VIOLATION`) before anything is made. All or nothing: a failure removes
 * what was made. Needs CAP_NET_ADMIN: run as root,
 * or give an elevated `spawner`.
 */
export const createVmNetwork = async (options: VmNetworkOptions = {}): Promise<VmNetwork> => {
  const resolved = resolveProfiledNetworkOptions(options);
  resolved.signal?.throwIfAborted();
  const token = createPlanToken();
  const vmId = resolved.vmId ?? `vm-${token}`;
  const dir = networkRecordsDir(resolved.stateDir ?? defaultStateDir());
  const pool = new AddressPool(resolved.pool);
  const { file, record } = await claimSubnet(dir, pool, (index) =>
    makePlan(resolved, vmId, token, index),
  );
  const place: RecordPlace = {
    dir,
    file,
    wait: { timeoutMs: resolved.timeoutMs, signal: resolved.signal },
  };
  const undoPlace: RecordPlace = { dir, file, wait: { timeoutMs: resolved.timeoutMs } };
  // From its record on, Node going down removes the network (what of it was made) too.
  const stopSweep = sweepNetworkOnHostExit({
    plan: record.plan,
    dir,
    file,
    owner: record.owner,
    options: resolved,
  });
  try {
    await setUpNetwork(createHostTools(resolved, resolved.signal), record.plan, place);
  } catch (error) {
    try {
      // Without the caller's signal: an aborted set-up must still be undone.
      await tearDownNetwork(createHostTools(resolved), record.plan, undoPlace);
    } catch (undoError) {
      stopSweep();
      // The record stays: reconcileNetwork() finishes the job.
      throw new NetworkError(
        'ERR_NETWORK_COMMAND',
        `${(error as Error).message}; undoing it failed too (left for reconcileNetwork()): ${(undoError as Error).message}`,
        { cause: new AggregateError([error, undoError]) },
      );
    }
    stopSweep();
    await removeNetworkRecord(file);
    throw error;
  }
  return new VmNetwork(
    record.plan,
    { ...place, wait: { timeoutMs: resolved.timeoutMs } },
    resolved,
    stopSweep,
  );
};
