// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { rename } from 'node:fs/promises';
import path from 'node:path';
import { catchError, listLeftoverFiles, TEST_WAIT_MS } from '@kindling/test-utils';
import { unrestricted, SETUPS } from '@kindling/test-vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createVmPool, type VmPoolOptions, type VmPoolSlot } from '../src/index.js';
import {
  collectEvents,
  createPoolFixture,
  listProcessesUnder,
  type PoolFixture,
} from './support/pool-fixture.js';

const WAIT = { timeoutMs: TEST_WAIT_MS };

// What the harness folder holds besides what VMs made: binaries, kernel, the kept snapshot, cgroups.
const SET_UP = /^(bin|vmlinux|kept|cgroup|jail)(\/|$)|^run$/u;

describe.each(SETUPS)('a pool of $name VMs', (setup) => {
  let fixture: PoolFixture;
  beforeAll(async () => {
    fixture = await createPoolFixture(setup, `fill-${setup.tag}`);
  });
  afterAll(async () => {
    await fixture[Symbol.asyncDispose]();
  });

  it('fills to its size paused, hands out a running VM in one resume, refills, and drains to nothing', async () => {
    const pool = await createVmPool({
      snapshot: fixture.snapshot,
      size: 2,
      restoreOptions: fixture.restoreOptions,
    });
    await pool.waitUntilFull(WAIT);
    expect(pool.stats).toMatchObject({ state: 'open', ready: 2, restoring: 0, acquired: 0 });
    const vm = await pool.acquire(WAIT);
    expect(vm.state).toBe('running');
    expect((await vm.getInfo()).state).toBe('Running');
    expect(pool.stats.acquired).toBe(1);
    // The acquisition started a refill: the pool is back at its size, the acquired VM aside.
    await pool.waitUntilFull(WAIT);
    expect(pool.stats).toMatchObject({ ready: 2, acquired: 1, restored: 3 });
    await pool.drain();
    expect(pool.stats).toMatchObject({ state: 'drained', ready: 0, acquired: 0, restoring: 0 });
    expect(vm.state).toBe('exited');
    expect(await listProcessesUnder(fixture.harness.dir)).toEqual([]);
    expect(await listLeftoverFiles(fixture.harness.dir, SET_UP)).toEqual([]);
  });
});

describe('a pool', () => {
  let fixture: PoolFixture;
  const options = (): VmPoolOptions => ({
    snapshot: fixture.snapshot,
    size: 1,
    restoreOptions: fixture.restoreOptions,
  });
  beforeAll(async () => {
    fixture = await createPoolFixture(unrestricted, 'pool');
  });
  afterAll(async () => {
    await fixture[Symbol.asyncDispose]();
  });

  it('destroys a released VM, never hands it out again, and refuses a second release', async () => {
    await using pool = await createVmPool(options());
    const vm = await pool.acquire(WAIT);
    const pid = vm.pid;
    await pool.release(vm);
    expect(vm.state).toBe('exited');
    expect(await listProcessesUnder(fixture.harness.dir)).not.toContain(pid);
    const again = await catchError(pool.release(vm));
    expect(again).toMatchObject({ code: 'ERR_INVALID_INPUT' });
    expect((again as Error).message).toMatch(/^vm: not a VM this pool handed out/u);
    const next = await pool.acquire(WAIT);
    expect(next).not.toBe(vm);
    expect(next.state).toBe('running');
  });

  it('makes acquires wait for refills when none is ready, each getting a VM of its own', async () => {
    await using pool = await createVmPool(options());
    const [first, second, third] = await Promise.all([
      pool.acquire(WAIT),
      pool.acquire(WAIT),
      pool.acquire(WAIT),
    ]);
    expect(new Set([first, second, third]).size).toBe(3);
    expect([first, second, third].map((vm) => vm.state)).toEqual(['running', 'running', 'running']);
    expect(pool.stats.acquired).toBe(3);
  });

  it('refuses to restore below the memory rule, backs off doubling each wait, and times an acquire out', async () => {
    await using pool = await createVmPool({
      ...options(),
      memoryMarginBytes: Number.MAX_SAFE_INTEGER,
      retryInitialMs: 20,
      retryMaxMs: 80,
    });
    const errors = collectEvents(pool, 'refill-error', 4);
    await errors.reached;
    expect(errors.details[0]?.error).toMatchObject({
      code: 'ERR_POOL_MEMORY_LOW',
      message: expect.stringMatching(/^not restoring: the host has \d+ MiB available/u),
    });
    // One failure more each time, each wait double the last, at most retryMaxMs.
    expect(
      errors.details.slice(0, 4).map((detail) => [detail.failuresInARow, detail.retryInMs]),
    ).toEqual([
      [1, 20],
      [2, 40],
      [3, 80],
      [4, 80],
    ]);
    const error = await catchError(pool.acquire({ timeoutMs: 100 }));
    expect(error).toMatchObject({
      code: 'ERR_WAIT_TIMEOUT',
      message: expect.stringMatching(
        /^pool\.acquire\(\): no VM was ready within 100 ms \(ready 0, restoring 0, acquired 0, failures in a row [4-9]/u,
      ),
    });
    expect(pool.stats).toMatchObject({ ready: 0, restored: 0 });
    expect(await listProcessesUnder(fixture.harness.dir)).toEqual([]);
  });

  it('is not wedged by failing restores: it reports them and fills once the snapshot is back', async () => {
    await using pool = await createVmPool({ ...options(), retryInitialMs: 20, retryMaxMs: 100 });
    await pool.waitUntilFull(WAIT);
    const away = `${fixture.snapshot.memPath}.away`;
    await rename(fixture.snapshot.memPath, away);
    const errors = collectEvents(pool, 'refill-error', 2);
    try {
      const vm = await pool.acquire(WAIT);
      expect(vm.state).toBe('running');
      await errors.reached;
    } finally {
      await rename(away, fixture.snapshot.memPath);
    }
    // Vm.restore refuses a snapshot whose memory file is missing.
    expect(errors.details[0]?.error).toMatchObject({ code: 'ERR_INVALID_INPUT' });
    expect(errors.details.slice(0, 2).map((detail) => detail.failuresInARow)).toEqual([1, 2]);
    await pool.waitUntilFull(WAIT);
    expect(pool.stats).toMatchObject({ ready: 1, failuresInARow: 0 });
  });

  it('drops a ready VM whose Firecracker died, says so, and restores another', async () => {
    await using pool = await createVmPool(options());
    await pool.waitUntilFull(WAIT);
    const before = await listProcessesUnder(fixture.harness.dir);
    const lost = new Promise<unknown>((resolve) => {
      pool.addEventListener('vm-lost', (event) => resolve(event.detail), { once: true });
    });
    for (const pid of before) {
      process.kill(pid, 'SIGKILL');
    }
    expect(await lost).toMatchObject({ exit: { kind: 'signaled', signal: 'SIGKILL' } });
    const vm = await pool.acquire(WAIT);
    expect(vm.state).toBe('running');
    expect(before).not.toContain(vm.pid);
  });

  it('fails waiting acquires and later calls with ERR_WRONG_STATE once it drains', async () => {
    const pool = await createVmPool({ ...options(), memoryMarginBytes: Number.MAX_SAFE_INTEGER });
    const waiting = catchError(pool.acquire(WAIT));
    const full = catchError(pool.waitUntilFull(WAIT));
    await pool.drain();
    for (const error of [await waiting, await full, await catchError(pool.acquire(WAIT))]) {
      expect(error).toMatchObject({ code: 'ERR_WRONG_STATE' });
    }
    expect(((await catchError(pool.acquire(WAIT))) as Error).message).toBe(
      'pool.acquire() needs the pool to be "open", but it is "drained": make a new pool',
    );
    // A second drain waits for the same one.
    await pool.drain();
  });

  it('destroys acquired VMs when it drains, after which releasing one does nothing', async () => {
    const pool = await createVmPool(options());
    const vm = await pool.acquire(WAIT);
    await pool.drain();
    expect(vm.state).toBe('exited');
    await pool.release(vm);
    expect(pool.stats).toMatchObject({ acquired: 0, ready: 0 });
  });

  it('reports a slot it cannot dispose of as a refill error, before restoring anything', async () => {
    await using pool = await createVmPool({
      ...options(),
      retryInitialMs: 1_000,
      prepareSlot: () => Promise.resolve({} as VmPoolSlot),
    });
    const errors = collectEvents(pool, 'refill-error', 1);
    await errors.reached;
    expect(errors.details[0]).toMatchObject({
      slotIndex: 1,
      failuresInARow: 1,
      retryInMs: 1_000,
      error: {
        code: 'ERR_INVALID_INPUT',
        message:
          'options.prepareSlot: expected it to resolve with a slot ({ restoreOptions?, [Symbol.asyncDispose]() }), got {}',
      },
    });
    expect(pool.stats.restored).toBe(0);
  });

  it('stops refills in flight when it drains, leaving nothing behind', async () => {
    const pool = await createVmPool({ ...options(), size: 3 });
    await pool.drain();
    expect(pool.stats).toMatchObject({ state: 'drained', restoring: 0, ready: 0 });
    expect(await listProcessesUnder(fixture.harness.dir)).toEqual([]);
    expect(await listLeftoverFiles(fixture.harness.dir, SET_UP)).toEqual([]);
  });
});

describe('a pool with slots', () => {
  let fixture: PoolFixture;
  beforeAll(async () => {
    fixture = await createPoolFixture(unrestricted, 'slots');
  });
  afterAll(async () => {
    await fixture[Symbol.asyncDispose]();
  });

  it('restores into each slot, disposes of it with its VM, and keeps it on reset for a fresh VM', async () => {
    const made: number[] = [];
    const disposed: number[] = [];
    await using pool = await createVmPool({
      snapshot: fixture.snapshot,
      size: 1,
      restoreOptions: fixture.restoreOptions,
      prepareSlot: ({ slotIndex, signal }) => {
        signal.throwIfAborted();
        made.push(slotIndex);
        return Promise.resolve({
          index: slotIndex,
          // The slot's options win over the pool's: its API socket names the slot and the restore.
          restoreOptions: ({ sequence }) =>
            unrestricted.create(
              fixture.harness.dir,
              fixture.harness.installation,
              `s${slotIndex}q${sequence}`,
            ),
          [Symbol.asyncDispose]: () => {
            disposed.push(slotIndex);
            return Promise.resolve();
          },
        });
      },
    });
    const first = await pool.acquire(WAIT);
    expect(path.basename(String(first.socketPath))).toBe('s1q1.sock');
    expect(pool.slotOf(first)).toMatchObject({ index: 1 });
    await pool.waitUntilFull(WAIT);
    expect(made).toEqual([1, 2]);
    await pool.release(first, { reset: true });
    expect(pool.slotOf(first)).toBeUndefined();
    // The pool was full: the kept slot waits, without a VM, for the next refill.
    expect(disposed).toEqual([]);
    expect(pool.stats).toMatchObject({ spareSlots: 1, ready: 1 });
    const second = await pool.acquire(WAIT);
    expect(path.basename(String(second.socketPath))).toBe('s2q2.sock');
    await pool.waitUntilFull(WAIT);
    expect(pool.stats.spareSlots).toBe(0);
    await pool.release(second);
    expect(disposed).toEqual([2]);
    // The refill after the second acquisition restored a fresh VM into the kept slot.
    const third = await pool.acquire(WAIT);
    expect(path.basename(String(third.socketPath))).toBe('s1q3.sock');
    expect(made).toEqual([1, 2, 3]);
    await pool.drain();
    expect(disposed.toSorted((a, b) => a - b)).toEqual([1, 2, 3]);
  });
});
