// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  createStandIn,
  createTempDir,
  prependToPath,
  readText,
  type StandIn,
} from '../test/stand-ins.js';
import { SudoSpawner } from './sudo-spawner.js';

const isAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

// What `${HOME:-unset}` prints in a child that inherits this environment.
const HOME_OR_UNSET = process.env['HOME'] ?? 'unset';

const HOSTILE_ARGS = ['a b', "it's", '"dq"', '$HOME', '`id`', 'l1\nl2', '', '\\', '*', '-n'];

describe('SudoSpawner with a recording stand-in sudo first on PATH', () => {
  let dir: string;
  let remove: () => Promise<void>;
  let sudo: StandIn;
  let restorePath: () => void;

  beforeEach(async () => {
    ({ dir, remove } = await createTempDir());
    sudo = await createStandIn('sudo', dir);
    restorePath = prependToPath(sudo.dir);
  });
  afterEach(async () => {
    restorePath();
    await remove();
  });

  it('runs sudo -n with an argument array when no password is given', async () => {
    const child = await new SudoSpawner().spawn('printf', ['%s\\0', ...HOSTILE_ARGS]);
    const [out, exit] = await Promise.all([readText(child.stdout), child.exited]);
    expect(exit).toStrictEqual({ code: 0, signal: null });
    expect(out.split('\0').slice(0, -1)).toStrictEqual(HOSTILE_ARGS);
    const argv = await sudo.readArgv();
    expect(argv.slice(0, 6)).toStrictEqual(['-n', '-u', 'root', '--', '/bin/sh', '-c']);
    // After the wrapper script: its $0, the marker, cwd, export count, the binary, then the argv.
    expect(argv[7]).toBe('kindling-elevated');
    expect(argv[8]).toMatch(/^kindling-[0-9a-f-]{36}$/u);
    expect(argv.slice(9)).toStrictEqual(['', '0', 'printf', 'printf', '%s\\0', ...HOSTILE_ARGS]);
    expect(await sudo.readPasswords()).toStrictEqual([]);
  });

  it('answers the prompt with the password, once, and keeps it out of the command stdin', async () => {
    await sudo.configure('password', 'pa ss$word');
    const child = await new SudoSpawner({ password: 'pa ss$word' }).spawn('cat', []);
    child.stdin?.end('caller data\n');
    const [out, exit] = await Promise.all([readText(child.stdout), child.exited]);
    expect(exit).toStrictEqual({ code: 0, signal: null });
    expect(out).toBe('caller data\n');
    expect(await sudo.readPasswords()).toStrictEqual(['pa ss$word']);
    const argv = await sudo.readArgv();
    expect(argv[0]).toBe('-S');
    expect(argv[1]).toBe('-p');
    expect(argv[2]).toMatch(/^kindling-[0-9a-f-]{36}:password:$/u);
  });

  it('never writes the password when sudo does not ask for it', async () => {
    const child = await new SudoSpawner({ password: 'secret' }).spawn('cat', []);
    child.stdin?.end('only this\n');
    expect(await readText(child.stdout)).toBe('only this\n');
    expect(await child.exited).toStrictEqual({ code: 0, signal: null });
    expect(await sudo.readPasswords()).toStrictEqual([]);
  });

  it('fails fast with ERR_SUDO_PASSWORD_REQUIRED when sudo wants a password nobody gave', async () => {
    await sudo.configure('password', 'secret');
    const marker = path.join(dir, 'ran');
    const startedAt = performance.now();
    await expect(new SudoSpawner().spawn('touch', [marker])).rejects.toMatchObject({
      code: 'ERR_SUDO_PASSWORD_REQUIRED',
      message: expect.stringContaining('sudo: a password is required'),
    });
    expect(performance.now() - startedAt).toBeLessThan(5_000);
    expect(existsSync(marker)).toBe(false);
  });

  it('rejects a wrong password with ERR_SUDO_PASSWORD_REJECTED after one attempt', async () => {
    await sudo.configure('password', 'right');
    const marker = path.join(dir, 'ran');
    await expect(
      new SudoSpawner({ password: 'wrong' }).spawn('touch', [marker]),
    ).rejects.toMatchObject({ code: 'ERR_SUDO_PASSWORD_REJECTED' });
    expect(await sudo.readPasswords()).toStrictEqual(['wrong']);
    expect(existsSync(marker)).toBe(false);
  });

  it('reports a refusal with ERR_ELEVATION_FAILED quoting sudo', async () => {
    await sudo.configure('denied');
    await expect(new SudoSpawner().spawn('true', [])).rejects.toMatchObject({
      code: 'ERR_ELEVATION_FAILED',
      message: expect.stringContaining('is not allowed to execute'),
    });
  });

  it('times out with ERR_SPAWN_TIMEOUT and terminates a sudo that never answers', async () => {
    await sudo.configure('hang');
    await expect(new SudoSpawner({ startTimeoutMs: 300 }).spawn('true', [])).rejects.toMatchObject({
      code: 'ERR_SPAWN_TIMEOUT',
    });
    expect(isAlive(await sudo.readPid())).toBe(false);
  });

  it('rejects with the abort reason and terminates sudo when aborted during the start', async () => {
    await sudo.configure('hang');
    const controller = new AbortController();
    const reason = new Error('cancelled');
    const spawning = new SudoSpawner().spawn('true', [], { signal: controller.signal });
    // Abort once the stand-in is up, so the abort lands in the handshake.
    while (!existsSync(path.join(sudo.dir, 'stdin'))) {
      await new Promise<void>((resolve) => {
        setImmediate(resolve);
      });
    }
    controller.abort(reason);
    await expect(spawning).rejects.toBe(reason);
    expect(isAlive(await sudo.readPid())).toBe(false);
  });

  it('rejects a binary the elevated user cannot run with ERR_SPAWN_FAILED', async () => {
    await expect(new SudoSpawner().spawn('kindling-no-such-binary', [])).rejects.toMatchObject({
      code: 'ERR_SPAWN_FAILED',
      message: expect.stringContaining('kindling-no-such-binary'),
    });
    await expect(
      new SudoSpawner().spawn('true', [], { cwd: path.join(dir, 'missing') }),
    ).rejects.toMatchObject({
      code: 'ERR_SPAWN_FAILED',
      message: expect.stringContaining('working directory'),
    });
  });

  it('rejects a missing sudo binary with ERR_SPAWN_FAILED', async () => {
    await expect(
      new SudoSpawner({ sudoPath: path.join(dir, 'no-sudo') }).spawn('true', []),
    ).rejects.toMatchObject({ code: 'ERR_SPAWN_FAILED' });
  });

  it('applies env, extendEnv and cwd as the elevated user, and passes -u', async () => {
    const script = 'printf "%s|%s|%s" "$VALUE" "${HOME:-unset}" "$(pwd)"';
    const spawner = new SudoSpawner({ user: 'nobody' });
    const extended = await spawner.spawn('/bin/sh', ['-c', script], {
      env: { VALUE: "it's $x\n`y`" },
      cwd: dir,
    });
    expect(await readText(extended.stdout)).toBe(`it's $x\n\`y\`|${HOME_OR_UNSET}|${dir}`);
    expect((await sudo.readArgv()).slice(1, 3)).toStrictEqual(['-u', 'nobody']);
    const replaced = await spawner.spawn('/bin/sh', ['-c', script], {
      env: { VALUE: 'only' },
      extendEnv: false,
    });
    expect((await readText(replaced.stdout)).split('|').slice(0, 2)).toStrictEqual([
      'only',
      'unset',
    ]);
  });

  it("hands on the command's stderr without the wrapper's lines", async () => {
    const child = await new SudoSpawner().spawn('/bin/sh', ['-c', 'echo to-stderr >&2; exit 5']);
    const [err, exit] = await Promise.all([readText(child.stderr), child.exited]);
    expect(err).toBe('to-stderr\n');
    expect(exit).toStrictEqual({ code: 5, signal: null });
  });

  it('sends SIGTERM, which sudo relays, when the signal aborts after the start', async () => {
    const controller = new AbortController();
    const child = await new SudoSpawner().spawn('sleep', ['30'], {
      stdio: 'ignore',
      signal: controller.signal,
    });
    controller.abort();
    expect(await child.exited).toStrictEqual({ code: null, signal: 'SIGTERM' });
  });

  it('rejects bad options before spawning anything, never echoing the password', async () => {
    expect(() => new SudoSpawner({ password: 'sec\nret' })).toThrow(
      expect.objectContaining({
        code: 'ERR_INVALID_INPUT',
        message: expect.not.stringContaining('sec'),
      }),
    );
    expect(() => new SudoSpawner({ user: '-u' })).toThrow(/options\.user: .*got "-u"/u);
    expect(() => new SudoSpawner({ user: '#1000' })).not.toThrow();
    expect(() => new SudoSpawner({ startTimeoutMs: 0 })).toThrow(/options\.startTimeoutMs: /u);
    expect(() => new SudoSpawner({ suPath: 'su' } as never)).toThrow(/options\.suPath: unknown/u);
    await expect(
      new SudoSpawner().spawn('true', [], { env: { 'NOT-A-NAME': '1' } }),
    ).rejects.toThrow(/options\.env: .*shell variable names.*"NOT-A-NAME"/u);
    await expect(
      new SudoSpawner({ password: 'x' }).spawn('true', [], { stdio: { stdin: 'inherit' } }),
    ).rejects.toThrow(/options\.stdio\.stdin: /u);
    await expect(new SudoSpawner().spawn('a=b', [], { extendEnv: false })).rejects.toThrow(
      /binary: .*"a=b"/u,
    );
    expect(existsSync(path.join(sudo.dir, 'argv'))).toBe(false);
  });
});

// Real sudo runs only where it is installed and asks root for no password.
const canRunRealSudo = ((): boolean => {
  if (process.getuid?.() !== 0) {
    return false;
  }
  try {
    execFileSync('sh', ['-c', 'command -v sudo'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

describe('SudoSpawner with the real sudo', () => {
  it.skipIf(!canRunRealSudo)(
    'runs a command as root with its arguments intact (needs sudo installed and root)',
    async () => {
      const child = await new SudoSpawner().spawn('printf', ['%s\\0', ...HOSTILE_ARGS]);
      const [out, exit] = await Promise.all([readText(child.stdout), child.exited]);
      expect(exit).toStrictEqual({ code: 0, signal: null });
      expect(out.split('\0').slice(0, -1)).toStrictEqual(HOSTILE_ARGS);
    },
  );
});
