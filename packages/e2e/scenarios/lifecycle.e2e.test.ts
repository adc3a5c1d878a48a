// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { SETUPS, unrestricted, type ExecutorSetup, type VmTestHarness } from '@kindling/test-vm';
import type { ShutdownAction } from '@kindling/vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createE2eHarness,
  noJailer,
  noRunningVm,
  noStartedVm,
  skipNote,
  startVm,
} from '../src/index.ts';

let harness: VmTestHarness;
beforeAll(async () => {
  harness = await createE2eHarness('lifecycle');
});
afterAll(async () => {
  await harness[Symbol.asyncDispose]();
});

describe.each(SETUPS)('pause and resume, $name', (setup: ExecutorSetup) => {
  const reason = noStartedVm ?? (setup === unrestricted ? undefined : noJailer);
  it.skipIf(reason !== undefined)(
    `pauses and resumes a running VM (VMM-level)${skipNote(reason)}`,
    async () => {
      const vm = await startVm(harness, setup, 'pause');
      await vm.pause();
      expect((await vm.getInfo()).state).toBe('Paused');
      await vm.resume();
      expect((await vm.getInfo()).state).toBe('Running');
    },
  );
});

// Each method, on a VM of its own; write-serial needs Firecracker's stdin (an attached process).
// The graceful ones need a guest that boots and reboots; the others are VMM-level.
const METHODS: readonly {
  action: ShutdownAction;
  graceful: boolean;
  attachedOnly: boolean;
}[] = [
  { action: { method: 'ctrl-alt-del', timeoutMs: 30_000 }, graceful: true, attachedOnly: false },
  {
    action: { method: 'write-serial', input: 'reboot\n', timeoutMs: 30_000 },
    graceful: true,
    attachedOnly: true,
  },
  { action: { method: 'pause-then-kill' }, graceful: false, attachedOnly: false },
  { action: { method: 'kill' }, graceful: false, attachedOnly: false },
];

describe.each(SETUPS)('shutdown, $name', (setup: ExecutorSetup) => {
  const jailReason = setup === unrestricted ? undefined : noJailer;
  METHODS.forEach(({ action, graceful, attachedOnly }) => {
    const reason =
      (graceful ? noRunningVm : noStartedVm) ??
      jailReason ??
      (attachedOnly && setup !== unrestricted
        ? "a daemonized jailer's Firecracker has no stdin of ours"
        : undefined);
    it.skipIf(reason !== undefined)(
      `shuts down with ${action.method}${skipNote(reason)}`,
      async () => {
        const vm = await startVm(harness, setup, `down-${action.method}`);
        const outcome = await vm.shutdown([action]);
        expect({ method: outcome.method, graceful: outcome.graceful }).toEqual({
          method: action.method,
          graceful,
        });
      },
    );
  });
});
