// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { getEventListeners } from 'node:events';
import { existsSync } from 'node:fs';
import { writeFile, chmod } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTempDir, readText } from '../test/stand-ins.js';
import { DirectSpawner } from './direct-spawner.js';
import { isKindlingError } from './kindling-error.js';
import { SpawnError } from './spawn-error.js';

// What `${HOME:-unset}` prints in a child that inherits this environment.
const HOME_OR_UNSET = process.env['HOME'] ?? 'unset';

describe('DirectSpawner', () => {
  const spawner = new DirectSpawner();
  let dir: string;
  let remove: () => Promise<void>;

  beforeEach(async () => {
    ({ dir, remove } = await createTempDir());
  });
  afterEach(async () => {
    await remove();
  });

  it('passes arguments verbatim, with no shell in between', async () => {
    const args = ['a b', "it's", '$HOME', '`id`', 'l1\nl2', '', '*', '; x'];
    const child = await spawner.spawn('printf', ['%s\\0', ...args]);
    const [out, exit] = await Promise.all([readText(child.stdout), child.exited]);
    expect(out.split('\0').slice(0, -1)).toStrictEqual(args);
    expect(exit).toStrictEqual({ code: 0, signal: null });
    expect(child.pid).toBeGreaterThan(0);
  });

  it('pipes stdin, stdout and stderr and reports the exit code', async () => {
    const child = await spawner.spawn('sh', [
      '-c',
      'read line; echo "out:$line"; echo err >&2; exit 3',
    ]);
    child.stdin?.end('hello\n');
    const [out, err, exit] = await Promise.all([
      readText(child.stdout),
      readText(child.stderr),
      child.exited,
    ]);
    expect(out).toBe('out:hello\n');
    expect(err).toBe('err\n');
    expect(exit).toStrictEqual({ code: 3, signal: null });
  });

  it('gives null streams for ignored stdio, per stream or for all', async () => {
    const all = await spawner.spawn('true', [], { stdio: 'ignore' });
    expect([all.stdin, all.stdout, all.stderr]).toStrictEqual([null, null, null]);
    const some = await spawner.spawn('true', [], { stdio: { stdin: 'ignore', stderr: 'ignore' } });
    expect(some.stdin).toBeNull();
    expect(some.stdout).not.toBeNull();
    expect(some.stderr).toBeNull();
    await Promise.all([all.exited, readText(some.stdout), some.exited]);
  });

  it('settles exited without waiting for an unread stdout pipe', async () => {
    const child = await spawner.spawn('sh', ['-c', 'echo unread']);
    expect(await child.exited).toStrictEqual({ code: 0, signal: null });
    child.stdout?.destroy();
  });

  it('keeps the output for a caller that starts reading late', async () => {
    const child = await spawner.spawn('sh', ['-c', 'echo late-out; echo late-err >&2']);
    await child.exited;
    for (let turn = 0; turn < 3; turn += 1) {
      await new Promise<void>((resolve) => {
        setImmediate(resolve);
      });
    }
    expect(await readText(child.stdout)).toBe('late-out\n');
    expect(await readText(child.stderr)).toBe('late-err\n');
  });

  it('extends the environment by default, or replaces it with extendEnv: false', async () => {
    const script = 'printf "%s|%s" "$KINDLING_TEST_VALUE" "${HOME:-unset}"';
    const extended = await spawner.spawn('/bin/sh', ['-c', script], {
      env: { KINDLING_TEST_VALUE: 'a b$c' },
    });
    expect(await readText(extended.stdout)).toBe(`a b$c|${HOME_OR_UNSET}`);
    const replaced = await spawner.spawn('/bin/sh', ['-c', script], {
      env: { KINDLING_TEST_VALUE: 'only' },
      extendEnv: false,
    });
    expect(await readText(replaced.stdout)).toBe('only|unset');
  });

  it('runs in the given working directory', async () => {
    const child = await spawner.spawn('pwd', [], { cwd: dir });
    expect((await readText(child.stdout)).trim()).toBe(dir);
  });

  it('reports a kill by signal, and kill() is false once the process has exited', async () => {
    const child = await spawner.spawn('sleep', ['30'], { stdio: 'ignore' });
    expect(child.kill()).toBe(true);
    expect(await child.exited).toStrictEqual({ code: null, signal: 'SIGTERM' });
    expect(child.kill('SIGKILL')).toBe(false);
  });

  it('kills with SIGKILL when the signal aborts, and removes its listener', async () => {
    const controller = new AbortController();
    const child = await spawner.spawn('sleep', ['30'], {
      stdio: 'ignore',
      signal: controller.signal,
    });
    controller.abort();
    expect(await child.exited).toStrictEqual({ code: null, signal: 'SIGKILL' });

    const kept = new AbortController();
    const quick = await spawner.spawn('true', [], { stdio: 'ignore', signal: kept.signal });
    expect(getEventListeners(kept.signal, 'abort')).toHaveLength(1);
    await quick.exited;
    expect(getEventListeners(kept.signal, 'abort')).toHaveLength(0);
  });

  it('rejects with the reason of an already aborted signal and spawns nothing', async () => {
    const marker = path.join(dir, 'spawned');
    const reason = new Error('stop');
    await expect(
      spawner.spawn('touch', [marker], { signal: AbortSignal.abort(reason) }),
    ).rejects.toBe(reason);
    expect(existsSync(marker)).toBe(false);
  });

  it('rejects a missing binary with ERR_SPAWN_FAILED and a hint', async () => {
    const error = await spawner
      .spawn('kindling-no-such-binary', [])
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(SpawnError);
    expect(isKindlingError(error)).toBe(true);
    expect(error).toMatchObject({
      code: 'ERR_SPAWN_FAILED',
      message: expect.stringMatching(/kindling-no-such-binary.*ENOENT.*PATH/su),
      cause: expect.objectContaining({ code: 'ENOENT' }),
    });
  });

  it('rejects a file that is not executable with ERR_SPAWN_FAILED', async () => {
    const file = path.join(dir, 'not-executable');
    await writeFile(file, '#!/bin/sh\n');
    await chmod(file, 0o644);
    await expect(spawner.spawn(file, [])).rejects.toMatchObject({
      code: 'ERR_SPAWN_FAILED',
      message: expect.stringContaining('executable'),
    });
  });

  it('rejects a missing working directory with ERR_SPAWN_FAILED naming it', async () => {
    const missing = path.join(dir, 'missing');
    await expect(spawner.spawn('true', [], { cwd: missing })).rejects.toMatchObject({
      code: 'ERR_SPAWN_FAILED',
      message: expect.stringContaining(missing),
    });
  });

  it('rejects a bad signal name passed to kill()', async () => {
    const child = await spawner.spawn('sleep', ['30'], { stdio: 'ignore' });
    try {
      expect(() => child.kill('SIGNOPE' as NodeJS.Signals)).toThrow(
        expect.objectContaining({
          code: 'ERR_INVALID_INPUT',
          message: expect.stringContaining('"SIGNOPE"'),
        }),
      );
    } finally {
      child.kill('SIGKILL');
      await child.exited;
    }
  });
});
