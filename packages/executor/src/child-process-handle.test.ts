// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import type { Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import { DirectSpawner } from '@kindling/spawner';
import { describe, expect, it } from 'vitest';
import { wrapChildProcess } from './child-process-handle.js';
import { readProcessStartTime } from './proc-stat.js';

const spawner = new DirectSpawner();
const readAll = (stream: Readable | null) => (stream === null ? '' : text(stream));
const spawnNode = (script: string) => spawner.spawn(process.execPath, ['-e', script]);

describe('wrapChildProcess', () => {
  it('reports the exit code and passes the piped streams through', async () => {
    const handle = await wrapChildProcess(
      await spawnNode('process.stdout.write("out"); process.stderr.write("err"); process.exit(3)'),
    );
    expect(handle.kind).toBe('attached');
    const [stdout, stderr, exit] = await Promise.all([
      readAll(handle.stdout),
      readAll(handle.stderr),
      handle.exited,
    ]);
    expect({ stdout, stderr, exit }).toEqual({
      stdout: 'out',
      stderr: 'err',
      exit: { kind: 'exited', code: 3 },
    });
    expect(handle.exit).toEqual({ kind: 'exited', code: 3 });
  });

  it('kills with SIGKILL by default and reports the signal', async () => {
    const handle = await wrapChildProcess(await spawnNode('setInterval(() => {}, 1000)'));
    expect(handle.startTime).toBe(await readProcessStartTime(handle.pid));
    expect(handle.kill()).toBe(true);
    expect(await handle.wait()).toEqual({ kind: 'signaled', signal: 'SIGKILL' });
    expect(handle.kill()).toBe(false);
  });

  it('times out a wait with ERR_WAIT_TIMEOUT, then waits again after a kill', async () => {
    const handle = await wrapChildProcess(await spawnNode('setInterval(() => {}, 1000)'));
    await expect(handle.wait({ timeoutMs: 30 })).rejects.toMatchObject({
      code: 'ERR_WAIT_TIMEOUT',
    });
    expect(handle.exit).toBeUndefined();
    handle.kill('SIGTERM');
    expect(await handle.wait()).toEqual({ kind: 'signaled', signal: 'SIGTERM' });
  });

  it("rejects a wait with the caller's abort reason", async () => {
    const handle = await wrapChildProcess(await spawnNode('setInterval(() => {}, 1000)'));
    const reason = new Error('enough');
    await expect(handle.wait({ signal: AbortSignal.abort(reason) })).rejects.toBe(reason);
    handle.kill();
    await handle.exited;
  });
});
