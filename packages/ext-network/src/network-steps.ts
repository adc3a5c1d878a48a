// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import type { HostTools } from './host-tools.js';
import { acquireIpForward, releaseIpForward } from './ip-forward.js';
import { addressesOf, type NetworkPlan } from './network-plan.js';
import type { LockWaitOptions } from './state-lock.js';
import { NetworkError } from './errors.js';

/** Where a network's record lives, and how long to wait for the ip_forward lock. */
export interface RecordPlace {
  readonly dir: string;
  readonly file: string;
  readonly wait: LockWaitOptions;
}

const tuntapArgs = (plan: NetworkPlan): string[] => [
  'tuntap',
  'add',
  'dev',
  plan.tap,
  'mode',
  'tap',
  ...(plan.tapOwner === undefined
    ? []
    : ['user', String(plan.tapOwner.uid), 'group', String(plan.tapOwner.gid)]),
];

// The TAP, given the guest's gateway address and brought up (in its namespace, when it has one).
const tapCommands = (plan: NetworkPlan, address: string): string[][] => [
  tuntapArgs(plan),
  ...(plan.mtu === undefined ? [] : [['link', 'set', 'dev', plan.tap, 'mtu', String(plan.mtu)]]),
  ['address', 'add', `${address}/30`, 'dev', plan.tap],
  ['link', 'set', 'dev', plan.tap, 'up'],
];

/** The namespace's NAT: the host reaches the guest at the veth's address, and back. */
export const namespaceRules = (plan: NetworkPlan): string => {
  const { guest, reachableAddress } = addressesOf(plan);
  const veth = plan.netns?.vethPeer ?? '';
  return [
    `table ip ${plan.netns?.table ?? ''} {`,
    '  chain prerouting {',
    '    type nat hook prerouting priority dstnat; policy accept;',
    `    iifname "${veth}" ip daddr ${reachableAddress} dnat to ${guest.address}`,
    '  }',
    '  chain postrouting {',
    '    type nat hook postrouting priority srcnat; policy accept;',
    `    oifname "${veth}" ip saddr ${guest.address} snat to ${reachableAddress}`,
    '  }',
    '}',
    '',
  ].join('\n');
};

/** The host's masquerade of one VM's /30 (the guest's, or its namespace's veth) going elsewhere. */
export const egressRules = (plan: NetworkPlan): string => {
  const { subnet } = addressesOf(plan);
  const link = plan.netns?.vethHost ?? plan.tap;
  return [
    `table ip ${plan.egress?.hostTable ?? ''} {`,
    '  chain postrouting {',
    '    type nat hook postrouting priority srcnat; policy accept;',
    `    ip saddr ${subnet.network}/30 oifname != "${link}" masquerade`,
    '  }',
    '}',
    '',
  ].join('\n');
};

const createNamespace = async (tools: HostTools, plan: NetworkPlan): Promise<void> => {
  const netns = plan.netns;
  if (netns === undefined) {
    return;
  }
  const { hostAddress, reachableAddress, tapAddress } = addressesOf(plan);
  await tools.ip(['netns', 'add', netns.name]);
  await tools.ipBatch([
    [
      'link',
      'add',
      netns.vethHost,
      'type',
      'veth',
      'peer',
      'name',
      netns.vethPeer,
      'netns',
      netns.name,
    ],
    ['address', 'add', `${hostAddress}/30`, 'dev', netns.vethHost],
    ['link', 'set', 'dev', netns.vethHost, 'up'],
  ]);
  await tools.ipBatch(
    [
      ['link', 'set', 'dev', 'lo', 'up'],
      ['address', 'add', `${reachableAddress}/30`, 'dev', netns.vethPeer],
      ['link', 'set', 'dev', netns.vethPeer, 'up'],
      ...tapCommands(plan, tapAddress),
      ...(plan.egress === undefined ? [] : [['route', 'add', 'default', 'via', hostAddress]]),
    ],
    netns.name,
  );
  // The namespace forwards between the TAP and the veth; it is the VM's alone, so nothing to restore.
  await tools.sysctl('net.ipv4.ip_forward', '1', netns.name);
  await tools.nft(namespaceRules(plan), netns.name);
};

/**
 * Removes everything a plan names, each piece whether or not it was made (so a half-made network,
 * or one a killed process left, goes the same way): the egress table and the use of ip_forward,
 * then the namespace with all in it and its veth, or the TAP. Every step is tried; failures are
 * thrown together.
 */
export const tearDownNetwork = async (
  tools: HostTools,
  plan: NetworkPlan,
  place: RecordPlace,
): Promise<void> => {
  const failures: unknown[] = [];
  const attempt = async (step: () => Promise<void>): Promise<void> => {
    try {
      await step();
    } catch (error) {
      failures.push(error);
    }
  };
  const { egress, netns } = plan;
  if (egress !== undefined) {
    await attempt(() => tools.deleteNftTable('ip', egress.hostTable));
    await attempt(() => releaseIpForward(place.dir, tools, place.file, place.wait));
  }
  if (netns === undefined) {
    await attempt(() => tools.deleteLink(plan.tap));
  } else {
    await attempt(() => tools.deleteLink(netns.vethHost));
    await attempt(() => tools.deleteNetns(netns.name));
  }
  if (failures.length === 1) {
    throw failures[0];
  }
  if (failures.length > 1) {
    throw new NetworkError(
      'ERR_NETWORK_COMMAND',
      `Could not remove all of the network of VM ${plan.vmId}:\n${failures.map((failure) => `- ${(failure as Error).message}`).join('\n')}`,
      { cause: new AggregateError(failures) },
    );
  }
};

/** Makes what a plan names, in order; the caller undoes it on a failure (`tearDownNetwork`). */
export const setUpNetwork = async (
  tools: HostTools,
  plan: NetworkPlan,
  place: RecordPlace,
): Promise<void> => {
  if (plan.netns === undefined) {
    await tools.ipBatch(tapCommands(plan, addressesOf(plan).tapAddress));
  } else {
    await createNamespace(tools, plan);
  }
  if (plan.egress !== undefined) {
    await acquireIpForward(place.dir, tools, place.file, place.wait);
    await tools.nft(egressRules(plan));
  }
};
