// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { TEST_WAIT_MS } from '@kindling/test-utils';
import type { ExecutorSetup, VmTestHarness } from '@kindling/test-vm';
import type { Vm } from '@kindling/vm';
import { noRunningVm } from './backend.ts';

/**
 * Waits for the guest's ready marker where the guest can boot; where it cannot (a KVM that starts
 * a VM but cannot run its guest), a VMM-level scenario goes on with what Firecracker does alone.
 */
export const waitForGuestIfItBoots = async (vm: Vm, marker: string): Promise<void> => {
  if (noRunningVm === undefined) {
    await vm.waitForSerialLine(marker, { timeoutMs: TEST_WAIT_MS });
  }
};

/** Prepares and starts a VM in folder `name`; waits for its guest where the guest can boot. */
export const startVm = async (
  harness: VmTestHarness,
  setup: ExecutorSetup,
  name: string,
): Promise<Vm> => {
  const vm = await harness.prepare(setup, harness.configuration(`${setup.tag}-${name}`));
  await vm.start();
  await waitForGuestIfItBoots(vm, harness.marker);
  return vm;
};
