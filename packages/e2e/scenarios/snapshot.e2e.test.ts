// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import {
  ECHO_PORT,
  SETUPS,
  unrestricted,
  type ExecutorSetup,
  type VmTestHarness,
} from '@kindling/test-vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createE2eHarness, echoOver, noJailer, noRunningVm, skipNote } from '../src/index.ts';

let harness: VmTestHarness;
beforeAll(async () => {
  harness = await createE2eHarness('snapshot');
});
afterAll(async () => {
  await harness[Symbol.asyncDispose]();
});

describe.each(SETUPS)('snapshot and restore, $name', (setup: ExecutorSetup) => {
  const reason = noRunningVm ?? (setup === unrestricted ? undefined : noJailer);
  it.skipIf(reason !== undefined)(
    `restores a snapshot with a vsock override, and the restored guest answers${skipNote(reason)}`,
    async () => {
      const vm = await harness.boot(setup, 'snap');
      await vm.pause();
      const snapshot = await vm.createSnapshot({
        snapshotPath: harness.pathFor(`${setup.tag}-snap/vm.state`),
        memPath: harness.pathFor(`${setup.tag}-snap/vm.mem`),
      });
      await vm.shutdown([{ method: 'kill' }]);
      const restored = await harness.restore(setup, snapshot, `${setup.tag}-restored`);
      expect((await restored.getInfo()).state).toBe('Running');
      const socket = await restored.connectVsock(ECHO_PORT);
      expect(await echoOver(socket, 'after restore')).toBe('after restore');
      socket.destroy();
    },
  );
});
