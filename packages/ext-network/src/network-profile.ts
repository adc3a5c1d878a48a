// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { describeValue } from '@kindling/helpers';
import { NetworkError } from './errors.js';
import {
  resolveVmNetworkOptions,
  type ResolvedVmNetworkOptions,
  type VmNetworkOptions,
} from './network-options.js';

export type { VmNetworkOptions };

/**
 * Refuses a network the VM's profile does not allow, before anything is made: any network under
 * `network: 'none'`, and egress under anything but `network: 'egress'` (a profile without
 * `network` allows a network without egress). No profile: no check.
 */
export const checkNetworkProfile = (options: ResolvedVmNetworkOptions): void => {
  const { profile } = options;
  if (profile === undefined) {
    return;
  }
  if (profile.network === 'none') {
    throw new NetworkError(
      'ERR_PROFILE_VIOLATION',
      "options.profile.network: 'none' allows the VM no network, got a request for one: give the VM no network, or a profile with network 'isolated' or 'egress'",
    );
  }
  if (options.egress && profile.network !== 'egress') {
    throw new NetworkError(
      'ERR_PROFILE_VIOLATION',
      `options.egress: the profile allows egress only with network 'egress', got egress true under network ${describeValue(profile.network)}: set egress false, or give the VM a profile with network 'egress'`,
    );
  }
};

/** Validates `createVmNetwork`'s options, then checks them against their profile. */
export const resolveProfiledNetworkOptions = (value: unknown): ResolvedVmNetworkOptions => {
  const options = resolveVmNetworkOptions(value);
  checkNetworkProfile(options);
  return options;
};
