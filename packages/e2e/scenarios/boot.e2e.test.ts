// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { SETUPS, unrestricted, type ExecutorSetup, type VmTestHarness } from '@kindling/test-vm';
import { Vm } from '@kindling/vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createE2eHarness,
  noJailer,
  noStartedVm,
  skipNote,
  startVm,
  waitForGuestIfItBoots,
} from '../src/index.ts';
import { TEST_WAIT_MS } from '@kindling/test-utils';

let harness: VmTestHarness;
beforeAll(async () => {
  harness = await createE2eHarness('boot');
});
afterAll(async () => {
  await harness[Symbol.asyncDispose]();
});

describe.each(SETUPS)('boot, $name', (setup: ExecutorSetup) => {
  const reason = noStartedVm ?? (setup === unrestricted ? undefined : noJailer);
  it.skipIf(reason !== undefined)(
    `boots via the API (VMM-level; to the guest's marker where the guest boots)${skipNote(reason)}`,
    async () => {
      const vm = await startVm(harness, setup, 'api');
      expect((await vm.getInfo()).state).toBe('Running');
      expect((await vm.getVmConfig())['machine-config']?.vcpu_count).toBe(1);
    },
  );
});

describe('boot via a config file, unrestricted', () => {
  it.skipIf(noStartedVm !== undefined)(
    `boots from --config-file (VMM-level; to the guest's marker where the guest boots)${skipNote(noStartedVm)}`,
    async () => {
      const { serial: _serial, ...items } = harness.configuration('config-file');
      const { executor, ownership } = unrestricted.create(
        harness.dir,
        harness.installation,
        `cf-${Date.now()}`,
      );
      await using vm = await Vm.prepare({
        executor,
        ownership,
        installation: harness.installation,
        configuration: { ...items, kind: 'new-via-config-file' },
        stateDir: false,
        shutdownActions: [{ method: 'kill' }],
        socketWaitTimeoutMs: TEST_WAIT_MS,
      });
      await vm.start();
      await waitForGuestIfItBoots(vm, harness.marker);
      expect((await vm.getInfo()).state).toBe('Running');
    },
  );
});
