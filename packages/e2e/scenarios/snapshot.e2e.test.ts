// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import {
  ECHO_PORT,
  SETUPS,
  unrestricted,
  type ExecutorSetup,
  type VmTestHarness,
} from '@kindling/test-vm';
import type { Vm } from '@kindling/vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createE2eHarness,
  echoOver,
  noJailer,
  noRunningVm,
  noStartedVm,
  skipNote,
  startVm,
} from '../src/index.ts';

let harness: VmTestHarness;
beforeAll(async () => {
  harness = await createE2eHarness('snapshot');
});
afterAll(async () => {
  await harness[Symbol.asyncDispose]();
});

const snapshotAndRestore = async (setup: ExecutorSetup, name: string): Promise<Vm> => {
  const vm = await startVm(harness, setup, name);
  await vm.pause();
  const snapshot = await vm.createSnapshot({
    snapshotPath: harness.pathFor(`${setup.tag}-${name}-snap/vm.state`),
    memPath: harness.pathFor(`${setup.tag}-${name}-snap/vm.mem`),
  });
  await vm.shutdown([{ method: 'kill' }]);
  return harness.restore(setup, snapshot, `${setup.tag}-${name}-restored`);
};

describe.each(SETUPS)('snapshot and restore, $name', (setup: ExecutorSetup) => {
  const jailReason = setup === unrestricted ? undefined : noJailer;
  const vmmReason = noStartedVm ?? jailReason;
  it.skipIf(vmmReason !== undefined)(
    `restores a snapshot with a vsock override, and it runs (VMM-level)${skipNote(vmmReason)}`,
    async () => {
      const restored = await snapshotAndRestore(setup, 'vmm');
      const config = await restored.getVmConfig();
      expect({
        state: (await restored.getInfo()).state,
        vcpus: config['machine-config']?.vcpu_count,
      }).toEqual({ state: 'Running', vcpus: 1 });
    },
  );

  const guestReason = noRunningVm ?? jailReason;
  it.skipIf(guestReason !== undefined)(
    `the restored guest answers over the overridden vsock${skipNote(guestReason)}`,
    async () => {
      const restored = await snapshotAndRestore(setup, 'guest');
      const socket = await restored.connectVsock(ECHO_PORT);
      expect(await echoOver(socket, 'after restore')).toBe('after restore');
      socket.destroy();
    },
  );
});
