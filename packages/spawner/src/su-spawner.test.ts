// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

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
import { joinShellWords } from './shell-quote.js';
import { SuSpawner } from './su-spawner.js';

// What fctools gets wrong: its `su` command line quotes all arguments as one token.
const HOSTILE_ARGS = [
  'a b',
  "it's",
  '"dq"',
  '$HOME',
  '${PATH}',
  '`id`',
  '$(id)',
  'l1\nl2',
  '',
  '\\',
  '*',
  '; echo injected',
  '-n',
];

describe('SuSpawner with a recording stand-in su first on PATH', () => {
  let dir: string;
  let remove: () => Promise<void>;
  let su: StandIn;
  let restorePath: () => void;

  beforeEach(async () => {
    ({ dir, remove } = await createTempDir());
    su = await createStandIn('su', dir);
    restorePath = prependToPath(su.dir);
  });
  afterEach(async () => {
    restorePath();
    await remove();
  });

  it('runs su -s /bin/sh -c with one correctly quoted command for the user', async () => {
    const child = await new SuSpawner().spawn('printf', ['%s\\0', ...HOSTILE_ARGS]);
    const [out, exit] = await Promise.all([readText(child.stdout), child.exited]);
    expect(exit).toStrictEqual({ code: 0, signal: null });
    expect(out.split('\0').slice(0, -1)).toStrictEqual(HOSTILE_ARGS);
    const argv = await su.readArgv();
    expect(argv).toHaveLength(5);
    expect(argv.slice(0, 3)).toStrictEqual(['-s', '/bin/sh', '-c']);
    expect(argv[4]).toBe('root');
    // The command is `exec` and the wrapper's words, each single-quoted.
    const command = String(argv[3]);
    expect(command.startsWith("exec '/bin/sh' '-c' '")).toBe(true);
    expect(command.endsWith(` ${joinShellWords(['printf', '%s\\0', ...HOSTILE_ARGS])}`)).toBe(true);
  });

  it('answers the PAM prompt once and keeps the password out of the command stdin', async () => {
    await su.configure('password', "p'a$s `w`");
    const child = await new SuSpawner({ password: "p'a$s `w`", user: 'nobody' }).spawn('cat', []);
    child.stdin?.end('caller data\n');
    const [out, err, exit] = await Promise.all([
      readText(child.stdout),
      readText(child.stderr),
      child.exited,
    ]);
    expect(exit).toStrictEqual({ code: 0, signal: null });
    expect(out).toBe('caller data\n');
    expect(err).toBe('');
    expect(await su.readPasswords()).toStrictEqual(["p'a$s `w`"]);
    expect((await su.readArgv())[4]).toBe('nobody');
  });

  it('never writes the password when su does not ask for it', async () => {
    const child = await new SuSpawner({ password: 'secret' }).spawn('cat', []);
    child.stdin?.end('only this\n');
    expect(await readText(child.stdout)).toBe('only this\n');
    expect(await child.exited).toStrictEqual({ code: 0, signal: null });
    expect(await su.readPasswords()).toStrictEqual([]);
  });

  it('closes stdin after the answer when the caller ignores stdin', async () => {
    await su.configure('password', 'secret');
    const child = await new SuSpawner({ password: 'secret' }).spawn('cat', [], {
      stdio: { stdin: 'ignore' },
    });
    expect(child.stdin).toBeNull();
    const [out, exit] = await Promise.all([readText(child.stdout), child.exited]);
    expect(out).toBe('');
    expect(exit).toStrictEqual({ code: 0, signal: null });
  });

  it('fails fast with ERR_SU_PASSWORD_REQUIRED when su prompts and no password was given', async () => {
    await su.configure('password', 'secret');
    const marker = path.join(dir, 'ran');
    const startedAt = performance.now();
    await expect(new SuSpawner().spawn('touch', [marker])).rejects.toMatchObject({
      code: 'ERR_SU_PASSWORD_REQUIRED',
    });
    expect(performance.now() - startedAt).toBeLessThan(5_000);
    expect(existsSync(marker)).toBe(false);
  });

  it('reports su failing in pieces ("su: ", then its message) as ERR_ELEVATION_FAILED, not a prompt', async () => {
    await su.configure('nouser', 'kindling-no-such-user');
    await expect(
      new SuSpawner({ user: 'kindling-no-such-user' }).spawn('true', []),
    ).rejects.toMatchObject({
      code: 'ERR_ELEVATION_FAILED',
      message: expect.stringContaining('user kindling-no-such-user does not exist'),
    });
  });

  it('reports a wrong password with ERR_SU_AUTHENTICATION_FAILED quoting su', async () => {
    await su.configure('password', 'right');
    const marker = path.join(dir, 'ran');
    await expect(
      new SuSpawner({ password: 'wrong' }).spawn('touch', [marker]),
    ).rejects.toMatchObject({
      code: 'ERR_SU_AUTHENTICATION_FAILED',
      message: expect.stringContaining('su: Authentication failure'),
    });
    expect(existsSync(marker)).toBe(false);
  });

  it('rejects bad options with the field, the rule and the value', () => {
    expect(() => new SuSpawner({ user: 'root; id' })).toThrow(
      /options\.user: expected a user name .*got "root; id"/u,
    );
    expect(() => new SuSpawner({ user: '#0' })).toThrow(/options\.user: /u);
    expect(() => new SuSpawner({ suPath: '' })).toThrow(/options\.suPath: .*got ""/u);
    expect(() => new SuSpawner({ password: 42 } as never)).toThrow(
      'options.password: expected a string, got a value of type number',
    );
  });
});
