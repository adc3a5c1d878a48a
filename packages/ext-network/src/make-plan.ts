// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { randomBytes } from 'node:crypto';
import { macAddressFor } from './mac-address.js';
import type { ResolvedVmNetworkOptions } from './network-options.js';
import type { NetworkPlan } from './network-plan.js';

/** A new network's random token, which its names (TAP, namespace, nft table) are made from. */
export const createPlanToken = (): string => randomBytes(5).toString('hex');

/** The plan of a network with these options: every name it makes, from its random token. */
export const makePlan = (
  options: ResolvedVmNetworkOptions,
  vmId: string,
  token: string,
  index: number,
): NetworkPlan => ({
  vmId,
  token,
  pool: options.pool,
  index,
  ifaceId: options.ifaceId,
  guestMac: macAddressFor(vmId),
  ...(options.mtu === undefined ? {} : { mtu: options.mtu }),
  ...(options.tapOwner === undefined ? {} : { tapOwner: options.tapOwner }),
  // Names unique on the host, under 16 bytes; in a namespace the TAP keeps one name for clones.
  tap: options.tapName ?? (options.namespace ? 'tap0' : `kt${token}`),
  ...(options.namespace
    ? {
        netns: {
          name: `kindling-${token}`,
          vethHost: `kv${token}`,
          vethPeer: 'veth0',
          table: 'kindling',
        },
      }
    : {}),
  ...(options.egress ? { egress: { hostTable: `kindling_${token}` } } : {}),
});
