// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { ExecutorError, type ResourceUsage, type VmmExecutor } from '@kindling/executor';
import { describe, expect, it } from 'vitest';
import { stubContext } from '../test/support/stub-executor.js';
import { readResourceUsageOf } from './resource-usage-read.js';

// A scripted executor: only the hook under test, answering as told.
const executorAnswering = (answer: () => Promise<ResourceUsage | undefined>): VmmExecutor =>
  ({ readResourceUsage: answer }) as unknown as VmmExecutor;

// An answer that never comes, as from a hung file system.
const never = (): Promise<never> =>
  new Promise<never>(() => {
    // Never settles.
  });

describe('readResourceUsageOf', () => {
  it("passes the executor's answer through", async () => {
    const usage: ResourceUsage = { cgroupVersion: 2, dirs: ['/cg/firecracker/a'], pids: 1 };
    expect(
      await readResourceUsageOf(
        executorAnswering(() => Promise.resolve(usage)),
        stubContext(),
        {},
      ),
    ).toBe(usage);
  });

  it('answers undefined for an executor without the hook', async () => {
    expect(await readResourceUsageOf({} as VmmExecutor, stubContext(), {})).toBeUndefined();
  });

  it('gives up after timeoutMs with ERR_EXECUTOR, saying what to do', async () => {
    await expect(
      readResourceUsageOf(executorAnswering(never), stubContext(), { timeoutMs: 20 }),
    ).rejects.toMatchObject({
      code: 'ERR_EXECUTOR',
      message:
        "readResourceUsage(): the VM's cgroups were not read within 20 ms: allow more time, or check the cgroup file system",
    });
  });

  it("rejects with the signal's reason on abort", async () => {
    const reason = new Error('stop');
    await expect(
      readResourceUsageOf(executorAnswering(never), stubContext(), {
        signal: AbortSignal.abort(reason),
      }),
    ).rejects.toBe(reason);
  });

  it("passes the executor's own error through and wraps any other", async () => {
    const own = new ExecutorError('ERR_RESOURCE_USAGE', 'Could not read');
    await expect(
      readResourceUsageOf(
        executorAnswering(() => Promise.reject(own)),
        stubContext(),
        {},
      ),
    ).rejects.toBe(own);
    await expect(
      readResourceUsageOf(
        executorAnswering(() => Promise.reject(new Error('EACCES'))),
        stubContext(),
        {},
      ),
    ).rejects.toMatchObject({
      code: 'ERR_EXECUTOR',
      message: 'readResourceUsage() failed: EACCES',
    });
  });

  it('refuses a bad timeoutMs, naming it', async () => {
    await expect(
      readResourceUsageOf(executorAnswering(never), stubContext(), { timeoutMs: -1 }),
    ).rejects.toMatchObject({
      code: 'ERR_INVALID_INPUT',
      message: expect.stringContaining('options.timeoutMs'),
    });
  });
});
