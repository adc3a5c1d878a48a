// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { existsSync } from 'node:fs';
import { chmod, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ProcessSpawner, SpawnedProcess } from '../src/process-spawner.js';
import { SudoSpawner } from '../src/sudo-spawner.js';
import { SuSpawner } from '../src/su-spawner.js';
import { canRunRealSu, createStandIn, createTempDir, readText, type StandIn } from './stand-ins.js';

// Security cases for the elevating spawners: what a caller passes (arguments, environment
// values, the working folder) reaches the command byte for byte and is never run as shell code;
// a NUL byte, which the kernel would silently cut an argument at, is refused before anything runs.

// su runs these commands as root, so a payload that ran could create its marker anywhere: the
// marker's absence is proof that it did not run.

// Each payload would create `marker` if any shell ever read it as code.
const createPayloads = (marker: string): string[] => [
  `$(touch ${marker})`,
  `\`touch ${marker}\``,
  `; touch ${marker}`,
  `' ; touch ${marker} ; '`,
  `" ; touch ${marker} ; "`,
  `'$(touch ${marker})'`,
  `"$(touch ${marker})"`,
  `'\\''; touch ${marker}; '`,
  `\ntouch ${marker}\n`,
  `&& touch ${marker} || `,
  `| touch ${marker}`,
  `$((0))\${IFS}touch\${IFS}${marker}`,
];

const collect = async (child: SpawnedProcess) => {
  const [out, err, exit] = await Promise.all([
    readText(child.stdout),
    readText(child.stderr),
    child.exited,
  ]);
  return { out, err, exit };
};

const splitNul = (text: string): string[] => text.split('\0').slice(0, -1);

// `env -0` prints every variable NUL-terminated; only the ones a test set are looked at.
const readEnvOutput = (out: string, names: readonly string[]): Record<string, string> => {
  const entries = splitNul(out).map((line) => {
    const equals = line.indexOf('=');
    return [line.slice(0, equals), line.slice(equals + 1)] as const;
  });
  return Object.fromEntries(entries.filter(([name]) => names.includes(name)));
};

const payloadEnv = (payloads: readonly string[]): Record<string, string> =>
  Object.fromEntries(payloads.map((payload, index) => [`KINDLING_PAYLOAD_${index}`, payload]));

describe.skipIf(!canRunRealSu)('SuSpawner security with the real su (needs su and root)', () => {
  let dir: string;
  let remove: () => Promise<void>;
  let marker: string;
  let payloads: string[];

  beforeEach(async () => {
    ({ dir, remove } = await createTempDir());
    marker = path.join(dir, 'pwned');
    payloads = createPayloads(marker);
  });
  afterEach(async () => {
    await remove();
  });

  it('passes arguments holding quotes, $(…), backticks, ; and newlines byte for byte, running none', async () => {
    const result = await collect(await new SuSpawner().spawn('printf', ['%s\\0', ...payloads]));
    expect(result.exit).toStrictEqual({ code: 0, signal: null });
    expect(result.err).toBe('');
    expect(splitNul(result.out)).toStrictEqual(payloads);
    expect(existsSync(marker)).toBe(false);
  });

  it.each([
    ['extending the environment', true],
    ['under env -i (extendEnv: false)', false],
  ])('passes hostile environment values byte for byte, %s', async (_how, extendEnv) => {
    const env = payloadEnv(payloads);
    const child = await new SuSpawner().spawn('env', ['-0'], { env, extendEnv });
    const result = await collect(child);
    expect(result.exit).toStrictEqual({ code: 0, signal: null });
    expect(readEnvOutput(result.out, Object.keys(env))).toStrictEqual(env);
    expect(existsSync(marker)).toBe(false);
  });

  it('enters a working folder whose name holds shell code, running none of it', async () => {
    // The marker's slashes make sub-folders: the name is a real, reachable folder.
    const cwd = path.join(dir, `$(touch ${marker}) ; '"\`touch ${marker}\``);
    await mkdir(cwd, { recursive: true });
    const result = await collect(await new SuSpawner().spawn('pwd', ['-P'], { cwd }));
    expect(result.exit).toStrictEqual({ code: 0, signal: null });
    expect(result.out).toBe(`${cwd}\n`);
    expect(existsSync(marker)).toBe(false);
  });

  it('looks up a binary whose name holds shell code as one file name, and fails to find it', async () => {
    await expect(new SuSpawner().spawn(`true; touch ${marker}`, [])).rejects.toMatchObject({
      code: 'ERR_SPAWN_FAILED',
    });
    await expect(new SuSpawner().spawn(`$(touch ${marker})`, [])).rejects.toMatchObject({
      code: 'ERR_SPAWN_FAILED',
    });
    expect(existsSync(marker)).toBe(false);
  });

  it('passes a payload untouched to a command run as another user (nobody)', async () => {
    // Writable for nobody, so that a payload that ran as nobody could make the marker.
    await chmod(dir, 0o777);
    const payload = `$(touch ${marker})`;
    const child = await new SuSpawner({ user: 'nobody' }).spawn(
      '/bin/sh',
      ['-c', 'printf "%s|%s\\0" "$(id -u)" "$1"', 'sh', payload],
      { extendEnv: false },
    );
    const result = await collect(child);
    expect(result.exit).toStrictEqual({ code: 0, signal: null });
    expect(splitNul(result.out)).toStrictEqual([`65534|${payload}`]);
    expect(existsSync(marker)).toBe(false);
  });
});

describe('SudoSpawner security with a recording stand-in sudo (no sudo on this machine)', () => {
  let dir: string;
  let remove: () => Promise<void>;
  let sudo: StandIn;
  let marker: string;
  let payloads: string[];

  beforeEach(async () => {
    ({ dir, remove } = await createTempDir());
    sudo = await createStandIn('sudo', dir);
    marker = path.join(dir, 'pwned');
    payloads = createPayloads(marker);
  });
  afterEach(async () => {
    await remove();
  });

  const createSudo = () => new SudoSpawner({ sudoPath: path.join(sudo.dir, 'sudo') });

  it('hands sudo every argument as its own word, after --, and the command gets them byte for byte', async () => {
    const result = await collect(await createSudo().spawn('printf', ['%s\\0', ...payloads]));
    expect(result.exit).toStrictEqual({ code: 0, signal: null });
    expect(splitNul(result.out)).toStrictEqual(payloads);
    const argv = await sudo.readArgv();
    const command = argv.slice(argv.indexOf('--') + 1);
    expect(command.slice(0, 2)).toStrictEqual(['/bin/sh', '-c']);
    // The script given to sh -c is Kindling's own constant: no payload is ever part of it.
    expect(payloads.filter((payload) => String(command[2]).includes(payload))).toStrictEqual([]);
    expect(command.slice(-payloads.length - 2)).toStrictEqual(['printf', '%s\\0', ...payloads]);
    expect(existsSync(marker)).toBe(false);
  });

  it.each([
    ['extending the environment', true],
    ['under env -i (extendEnv: false)', false],
  ])('passes hostile environment values byte for byte, %s', async (_how, extendEnv) => {
    const env = payloadEnv(payloads);
    const result = await collect(await createSudo().spawn('env', ['-0'], { env, extendEnv }));
    expect(result.exit).toStrictEqual({ code: 0, signal: null });
    expect(readEnvOutput(result.out, Object.keys(env))).toStrictEqual(env);
    expect(existsSync(marker)).toBe(false);
  });

  it('refuses a user name holding shell code before running sudo', () => {
    expect(() => new SudoSpawner({ user: `root; touch ${marker}` })).toThrow(
      expect.objectContaining({
        code: 'ERR_INVALID_INPUT',
        message: expect.stringMatching(/^options\.user: /u),
      }),
    );
    expect(() => new SuSpawner({ user: `$(touch ${marker})` })).toThrow(
      expect.objectContaining({
        code: 'ERR_INVALID_INPUT',
        message: expect.stringMatching(/^options\.user: /u),
      }),
    );
  });
});

describe('NUL bytes are refused before anything is spawned', () => {
  let dir: string;
  let remove: () => Promise<void>;
  let standIns: Record<'su' | 'sudo', StandIn>;

  beforeEach(async () => {
    ({ dir, remove } = await createTempDir());
    standIns = { su: await createStandIn('su', dir), sudo: await createStandIn('sudo', dir) };
  });
  afterEach(async () => {
    await remove();
  });

  const spawners: Record<'su' | 'sudo', (standIn: StandIn) => ProcessSpawner> = {
    su: (standIn) => new SuSpawner({ suPath: path.join(standIn.dir, 'su') }),
    sudo: (standIn) => new SudoSpawner({ sudoPath: path.join(standIn.dir, 'sudo') }),
  };

  // Both elevating spawners refuse each of these the same way, before anything runs.
  const nulCases = [
    ['the binary', ['print\0f', []], {}, /^binary: expected a non-empty string without NUL bytes/u],
    [
      'an argument',
      ['printf', ['ok', 'a\0; id']],
      {},
      /^args\[1\]: expected a string without NUL bytes/u,
    ],
    [
      'an environment value',
      ['env', []],
      { env: { SECRET: 'a\0b' } },
      /^options\.env\.SECRET: expected a string without NUL bytes/u,
    ],
    [
      'an environment name',
      ['env', []],
      { env: { 'A\0B': 'x' } },
      /^options\.env: a variable name must be non-empty/u,
    ],
    [
      'the working folder',
      ['pwd', []],
      { cwd: '/tmp\0/etc' },
      /^options\.cwd: expected a non-empty string without NUL bytes/u,
    ],
  ] as const;

  it.each(
    (['su', 'sudo'] as const).flatMap((tool) =>
      nulCases.map(([field, call, options, rule]) => [tool, field, call, options, rule] as const),
    ),
  )(
    '%s refuses %s with a NUL byte (ERR_INVALID_INPUT)',
    async (tool, _field, [binary, args], options, rule) => {
      const standIn = standIns[tool];
      await expect(spawners[tool](standIn).spawn(binary, args, options)).rejects.toMatchObject({
        code: 'ERR_INVALID_INPUT',
        message: expect.stringMatching(rule),
      });
      // The stand-in records its argv first thing: it never ran.
      expect(existsSync(path.join(standIn.dir, 'argv'))).toBe(false);
    },
  );

  it('never echoes an environment value with a NUL byte (it may be a secret)', async () => {
    const spawning = spawners.sudo(standIns.sudo).spawn('env', [], {
      env: { TOKEN: 'hunter2\0rest' },
    });
    await expect(spawning).rejects.toMatchObject({ code: 'ERR_INVALID_INPUT' });
    await expect(spawning).rejects.not.toMatchObject({
      message: expect.stringContaining('hunter2'),
    });
  });

  it('refuses a password with a NUL byte or a line break when the spawner is made', () => {
    expect(() => new SudoSpawner({ password: 'pw\0x' })).toThrow(
      expect.objectContaining({
        code: 'ERR_INVALID_INPUT',
        message: expect.stringMatching(/^options\.password: /u),
      }),
    );
    expect(() => new SuSpawner({ password: 'pw\nid' })).toThrow(
      expect.objectContaining({
        code: 'ERR_INVALID_INPUT',
        message: expect.not.stringContaining('pw\nid'),
      }),
    );
  });
});
