// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import type { FakeSwitches } from '@kindling/fake-vmm';
import { createVmTestHarness, type VmTestHarness } from '@kindling/test-vm';
import { realGuest } from './backend.ts';

/**
 * The shared VM test harness on this run's backend: the fake kernel and guest, or the real
 * guest from KINDLING_KERNEL / KINDLING_INITRD. `fake` switches apply to the fake only; `connect`
 * lists host ports the guest connects to once up (either backend).
 */
export const createE2eHarness = (
  label: string,
  options: { readonly fake?: FakeSwitches; readonly connect?: readonly number[] } = {},
): Promise<VmTestHarness> => {
  const connect = options.connect ?? [];
  if (realGuest === undefined) {
    return createVmTestHarness({
      label: `e2e-${label}`,
      fake: { ...options.fake, ...(connect.length > 0 ? { vsockGuestConnectPorts: connect } : {}) },
    });
  }
  return createVmTestHarness({
    label: `e2e-${label}`,
    guest: {
      ...realGuest,
      ...(connect.length > 0 ? { extraBootArgs: `kindling.connect=${connect.join(',')}` } : {}),
    },
  });
};
