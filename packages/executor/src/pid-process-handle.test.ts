// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { watchPid } from './pid-process-handle.js';
import { readProcessStartTime } from './proc-stat.js';

const run = promisify(execFile);
const started: number[] = [];

// A process that is not our child, as a daemonized Firecracker is: the shell exits at once and
// the sleep is adopted by init.
const startOrphan = async (script = 'sleep 60'): Promise<number> => {
  const { stdout } = await run('sh', ['-c', `${script} >/dev/null 2>&1 </dev/null & echo $!`]);
  const pid = Number(stdout.trim());
  started.push(pid);
  return pid;
};

afterEach(() => {
  for (const pid of started.splice(0)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // Already gone: the test ended it.
    }
  }
});

describe('watchPid', () => {
  it('reports a killed detached process as unknown, never as a clean exit', async () => {
    const pid = await startOrphan();
    const handle = await watchPid(pid);
    expect(handle.kind).toBe('detached');
    expect(handle.startTime).toBe(await readProcessStartTime(pid));
    expect(handle.exit).toBeUndefined();
    expect(handle.kill('SIGTERM')).toBe(true);
    expect(await handle.wait({ timeoutMs: 5_000 })).toEqual({ kind: 'unknown' });
    expect(handle.exit).toEqual({ kind: 'unknown' });
    expect(handle.kill()).toBe(false);
  });

  it('reports a detached process that exits 0 by itself as unknown', async () => {
    const pid = await startOrphan('sleep 0.2');
    const handle = await watchPid(pid);
    expect(await handle.exited).toEqual({ kind: 'unknown' });
  });

  it('never takes a reused pid for the process it watches', async () => {
    const pid = await startOrphan();
    const realStartTime = await readProcessStartTime(pid);
    expect(realStartTime).toBeTypeOf('number');
    // The process under this pid started at another time: it is someone else, ours has ended.
    const handle = await watchPid(pid, { startTime: Number(realStartTime) + 1 });
    expect(handle.exit).toEqual({ kind: 'unknown' });
    expect(await handle.exited).toEqual({ kind: 'unknown' });
    expect(handle.kill()).toBe(false);
    expect(await readProcessStartTime(pid)).toBe(realStartTime);
  });

  it('notices an exit it did not cause while watching', async () => {
    const pid = await startOrphan();
    const handle = await watchPid(pid);
    expect(handle.startTime).toBeGreaterThan(0);
    // Kill it behind the handle's back: the handle finds out by looking, not by the kill.
    process.kill(pid, 'SIGKILL');
    expect(await handle.wait({ timeoutMs: 5_000 })).toEqual({ kind: 'unknown' });
  });

  it('settles at once for a pid that no process has', async () => {
    const handle = await watchPid(2 ** 22 + 1);
    expect(handle.exit).toEqual({ kind: 'unknown' });
    expect(handle.startTime).toBeUndefined();
    expect(handle.kill()).toBe(false);
  });

  it('times out a wait with ERR_WAIT_TIMEOUT and leaves the process running', async () => {
    const pid = await startOrphan();
    const handle = await watchPid(pid, { maxPollIntervalMs: 20 });
    await expect(handle.wait({ timeoutMs: 50 })).rejects.toMatchObject({
      code: 'ERR_WAIT_TIMEOUT',
      message: expect.stringContaining(`Process ${pid}`),
    });
    expect(handle.exit).toBeUndefined();
    expect(await readProcessStartTime(pid)).toBe(handle.startTime);
  });

  it("rejects a wait with the caller's abort reason", async () => {
    const handle = await watchPid(await startOrphan());
    const controller = new AbortController();
    const reason = new Error('stop waiting');
    const waiting = handle.wait({ signal: controller.signal });
    controller.abort(reason);
    await expect(waiting).rejects.toBe(reason);
    await expect(handle.wait({ signal: AbortSignal.abort(reason) })).rejects.toBe(reason);
  });

  it('refuses bad options', async () => {
    await expect(watchPid(0)).rejects.toMatchObject({
      code: 'ERR_INVALID_INPUT',
      message: 'watchPid(pid): expected a positive integer pid, got 0',
    });
    await expect(watchPid(process.pid, { startTime: -1 })).rejects.toMatchObject({
      code: 'ERR_INVALID_INPUT',
      message: 'watchPid.startTime: expected a non-negative integer of clock ticks, got -1',
    });
    await expect(
      watchPid(process.pid, { minPollIntervalMs: 50, maxPollIntervalMs: 10 }),
    ).rejects.toThrow(
      'watchPid.maxPollIntervalMs: expected at least minPollIntervalMs (50), got 10',
    );
    const handle = await watchPid(process.pid);
    await expect(handle.wait({ timeoutMs: 0 })).rejects.toThrow(/wait\.timeoutMs/u);
  });
});
