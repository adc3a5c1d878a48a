// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { readdir } from 'node:fs/promises';
import { isAlive } from '@kindling/test-utils';
import { describe, expect, it } from 'vitest';
import { inspectOrphanGuard } from '../src/orphan-guard.js';
import { FakeSetup } from './support/fake-setup.js';

const COUNT = 20;

describe('VmmProcess side by side', () => {
  it(`runs ${COUNT} fake Firecrackers at once, each on its own socket, and removes them all`, async () => {
    await using setup = await FakeSetup.create();
    const processes = Array.from({ length: COUNT }, (_, index) =>
      setup.createProcess({ id: `side-${index}`, process: { socketWaitTimeoutMs: 30_000 } }),
    );
    try {
      await Promise.all(
        processes.map(async (vmm) => {
          await vmm.prepare();
          await vmm.invoke();
        }),
      );
      const answers = await Promise.all(
        processes.map(async (vmm) => (await vmm.api.get('/')).body),
      );
      expect(answers.map((body) => (body as { id: string }).id)).toEqual(
        processes.map((_, index) => `side-${index}`),
      );
      const pids = processes.map((vmm) => vmm.pid as number);
      expect(new Set(pids).size).toBe(COUNT);
      expect(inspectOrphanGuard().guarded).toBeGreaterThanOrEqual(COUNT);
      expect(await readdir(setup.stateDir)).toHaveLength(COUNT);
      await Promise.all(processes.map((vmm) => vmm[Symbol.asyncDispose]()));
      expect(pids.filter((pid) => isAlive(pid))).toEqual([]);
      expect(await readdir(setup.stateDir)).toEqual([]);
      expect(await setup.leftovers()).toEqual([]);
      expect(inspectOrphanGuard().installed).toBe(false);
    } finally {
      await Promise.allSettled(processes.map((vmm) => vmm[Symbol.asyncDispose]()));
    }
  });
});
