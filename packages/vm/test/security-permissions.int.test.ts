// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { lstat } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { VmConfiguration } from '../src/index.js';
import {
  SETUPS,
  basicConfiguration,
  createVmHarness,
  type ExecutorSetup,
  type VmHarness,
} from './support/vm-harness.js';

// Security cases for a VM's output files: the logger and metrics FIFOs (what @kindling/ext-metrics
// reads) and the files they sit beside are their owner's alone (0600), and Kindling's folders for
// them writable by no one else, even under a permissive umask.

const modeOf = async (target: string): Promise<number> => (await lstat(target)).mode & 0o7777;

let harness: VmHarness;
let saved: number;

beforeAll(async () => {
  saved = process.umask(0o000);
  harness = await createVmHarness();
});

afterAll(async () => {
  try {
    await harness.dispose();
  } finally {
    process.umask(saved);
  }
});

const outputs = (name: string): VmConfiguration => ({
  ...basicConfiguration(harness),
  logger: { log_path: harness.pathFor(`${name}/out/fc.log`), level: 'Info' },
  metrics: { metrics_path: harness.pathFor(`${name}/out/fc.metrics`) },
  fifos: { logger: true, metrics: true },
});

describe.each(SETUPS)('under a permissive umask 000, $name', (setup: ExecutorSetup) => {
  it('makes the logger and metrics FIFOs 0600, in folders no one else can write to', async () => {
    const name = `${setup.tag}-perm`;
    const vm = await harness.prepare(setup, outputs(name));
    for (const file of ['fc.log', 'fc.metrics']) {
      const effective = vm.resolveEffectivePath(harness.pathFor(`${name}/out/${file}`));
      expect((await lstat(effective)).isFIFO()).toBe(true);
      expect(await modeOf(effective)).toBe(0o600);
      expect((await modeOf(path.dirname(effective))) & 0o022).toBe(0);
    }
    await vm.cleanup();
  });
});
