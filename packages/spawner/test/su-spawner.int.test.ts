// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { chmod } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SuSpawner } from '../src/su-spawner.js';
import { canRunRealSu, createTempDir, readText } from './stand-ins.js';

const HOSTILE_ARGS = [
  'a b',
  "it's",
  '"dq"',
  '$HOME',
  '`id`',
  '$(id)',
  'l1\nl2',
  '',
  '\\',
  '*',
  '; echo injected',
  '-n',
  'é 日本',
];

describe.skipIf(!canRunRealSu)('SuSpawner with the real su (needs su and root)', () => {
  let dir: string;
  let remove: () => Promise<void>;
  beforeAll(async () => {
    ({ dir, remove } = await createTempDir());
    // mkdtemp makes the folder private to root; nobody must be able to enter it.
    await chmod(dir, 0o755);
  });
  afterAll(async () => {
    await remove();
  });

  it('passes hostile arguments through su -c intact', async () => {
    const child = await new SuSpawner().spawn('printf', ['%s\\0', ...HOSTILE_ARGS]);
    const [out, err, exit] = await Promise.all([
      readText(child.stdout),
      readText(child.stderr),
      child.exited,
    ]);
    expect({ exit, err }).toStrictEqual({ exit: { code: 0, signal: null }, err: '' });
    expect(out.split('\0').slice(0, -1)).toStrictEqual(HOSTILE_ARGS);
  });

  it('runs as the requested user, with env and cwd, and relays the exit code', async () => {
    const child = await new SuSpawner({ user: 'nobody' }).spawn(
      '/bin/sh',
      ['-c', 'printf "%s|%s|%s" "$(id -u)" "$VALUE" "$(pwd)"; exit 7'],
      { env: { VALUE: "it's $HOME" }, cwd: dir },
    );
    const [out, exit] = await Promise.all([readText(child.stdout), child.exited]);
    expect(out).toBe(`65534|it's $HOME|${dir}`);
    expect(exit).toStrictEqual({ code: 7, signal: null });
  });

  it('rejects a missing binary and an unknown user before anything runs', async () => {
    await expect(new SuSpawner().spawn('kindling-no-such-binary', [])).rejects.toMatchObject({
      code: 'ERR_SPAWN_FAILED',
    });
    await expect(
      new SuSpawner({ user: 'kindling-no-such-user' }).spawn('true', []),
    ).rejects.toMatchObject({
      code: 'ERR_ELEVATION_FAILED',
      message: expect.stringContaining('kindling-no-such-user'),
    });
  });

  it('relays SIGTERM from kill() to the command', async () => {
    const child = await new SuSpawner().spawn('sleep', ['30'], { stdio: 'ignore' });
    expect(child.kill('SIGTERM')).toBe(true);
    // util-linux su forwards SIGTERM to the command, then re-raises it on itself.
    expect(await child.exited).toStrictEqual({ code: null, signal: 'SIGTERM' });
  });
});
