// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { catchError } from '@kindling/test-utils';
import { VmSnapshot } from '@kindling/vm';
import { describe, expect, it } from 'vitest';
import { createVmPool } from './create-vm-pool.js';
import { checkFreeMemory } from './memory-check.js';

const snapshot = new VmSnapshot({
  type: 'Full',
  snapshotPath: '/nonexistent/kindling-pool/vm.state',
  memPath: '/nonexistent/kindling-pool/vm.mem',
});

const messageOf = async (options: unknown): Promise<string> => {
  const error = await catchError(createVmPool(options as Parameters<typeof createVmPool>[0]));
  expect(error).toMatchObject({ name: 'PoolError', code: 'ERR_INVALID_INPUT' });
  return (error as Error).message;
};

describe('createVmPool refuses bad options before anything starts', () => {
  it('names a size that is not a positive integer', async () => {
    expect(await messageOf({ snapshot, size: 0 })).toBe(
      'options.size: Too small: expected number to be >=1, got 0',
    );
  });

  it('names a snapshot that is not a VmSnapshot', async () => {
    expect(await messageOf({ snapshot: { memPath: '/x' }, size: 1 })).toMatch(
      /^options\.snapshot: expected a VmSnapshot/u,
    );
  });

  it('names restore options that are neither an object nor a function', async () => {
    expect(await messageOf({ snapshot, size: 1, restoreOptions: 'fast' })).toBe(
      'options.restoreOptions: expected restore options (an object) or a function that makes them, got "fast"',
    );
  });

  it('names an unknown key, with the one it most likely meant', async () => {
    expect(await messageOf({ snapshot, size: 1, maxConcurrentRestore: 2 })).toMatch(
      /^options\.maxConcurrentRestore: unknown key; did you mean maxConcurrentRestores\?/u,
    );
  });

  it('refuses a longest retry wait below the first', async () => {
    expect(await messageOf({ snapshot, size: 1, retryInitialMs: 500, retryMaxMs: 100 })).toBe(
      'options.retryMaxMs: must be at least options.retryInitialMs (500), got 100',
    );
  });

  it('names a memory file it cannot read', async () => {
    expect(await messageOf({ snapshot, size: 1 })).toMatch(
      /^options\.snapshot\.memPath: cannot read the memory file \(ENOENT.*\), got "\/nonexistent\/kindling-pool\/vm\.mem": copy the snapshot somewhere it stays$/u,
    );
  });
});

describe('checkFreeMemory', () => {
  const MIB = 1024 * 1024;

  it('lets a restore start with the snapshot’s memory plus the margin available', () => {
    expect(checkFreeMemory(128 * MIB, 256 * MIB, 384 * MIB)).toBeUndefined();
  });

  it('refuses one below, saying what the host has and what a VM needs', () => {
    expect(() => checkFreeMemory(128 * MIB, 256 * MIB, 384 * MIB - 1)).toThrow(
      'not restoring: the host has 384 MiB available, and a VM needs the snapshot’s 128 MiB plus the margin of 256 MiB; the pool retries with back-off (free memory, or lower memoryMarginBytes)',
    );
  });
});
