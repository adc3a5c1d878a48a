// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { existsSync } from 'node:fs';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DirectSpawner } from './direct-spawner.js';
import { resolveSpawnRequest } from './spawn-options.js';

describe('resolveSpawnRequest', () => {
  it('applies the defaults: every stream piped, the environment extended', () => {
    expect(resolveSpawnRequest('bin', ['a'], {})).toStrictEqual({
      binary: 'bin',
      args: ['a'],
      stdin: 'pipe',
      stdout: 'pipe',
      stderr: 'pipe',
      env: {},
      extendEnv: true,
      cwd: undefined,
      signal: undefined,
    });
  });

  it.each([
    ['binary', '', [], {}, 'binary: expected a non-empty string without NUL bytes, got ""'],
    [
      'binary with NUL',
      'a\0b',
      [],
      {},
      'binary: expected a non-empty string without NUL bytes, got "a\\u0000b"',
    ],
    ['args', 'bin', 'a b', {}, 'args: expected an array of strings, got "a b"'],
    ['an argument', 'bin', ['ok', 3], {}, 'args[1]: expected a string without NUL bytes, got 3'],
    ['options', 'bin', [], 'x', 'options: expected an object, got "x"'],
    [
      'an unknown option',
      'bin',
      [],
      { shell: true },
      'options.shell: unknown key; the keys here are stdio, env, extendEnv, cwd, signal',
    ],
    [
      'stdio',
      'bin',
      [],
      { stdio: 'inherits' },
      `options.stdio: expected 'pipe', 'ignore' or 'inherit', got "inherits"`,
    ],
    [
      'one stream',
      'bin',
      [],
      { stdio: { stdout: 'null' } },
      `options.stdio.stdout: expected 'pipe', 'ignore' or 'inherit', got "null"`,
    ],
    [
      'an unknown stream',
      'bin',
      [],
      { stdio: { stdall: 'pipe' } },
      'options.stdio.stdall: unknown key; the keys here are stdin, stdout, stderr',
    ],
    [
      'env',
      'bin',
      [],
      { env: ['A=1'] },
      'options.env: expected an object of string values, got ["A=1"]',
    ],
    [
      'an env name',
      'bin',
      [],
      { env: { 'A=B': '1' } },
      'options.env: a variable name must be non-empty and contain neither "=" nor a NUL byte, got "A=B"',
    ],
    [
      'extendEnv',
      'bin',
      [],
      { extendEnv: 'no' },
      'options.extendEnv: expected a boolean, got "no"',
    ],
    [
      'cwd',
      'bin',
      [],
      { cwd: '' },
      'options.cwd: expected a non-empty string without NUL bytes, got ""',
    ],
    ['signal', 'bin', [], { signal: {} }, 'options.signal: expected an AbortSignal, got {}'],
  ])(
    'rejects a bad %s, naming the field, the rule and the value',
    (_, binary, args, options, message) => {
      expect(() => resolveSpawnRequest(binary, args, options)).toThrow(
        expect.objectContaining({ code: 'ERR_INVALID_INPUT', message }),
      );
    },
  );

  it('names a bad environment variable without echoing its value', () => {
    expect(() => resolveSpawnRequest('bin', [], { env: { TOKEN: 'secret\0value' } })).toThrow(
      expect.objectContaining({
        message:
          'options.env.TOKEN: expected a string without NUL bytes, got a string with a NUL byte',
      }),
    );
  });
});

describe('DirectSpawner input validation', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'kindling-spawner-'));
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('spawns nothing when an option is bad', async () => {
    const marker = path.join(dir, 'spawned');
    await expect(
      new DirectSpawner().spawn('touch', [marker], { stdio: 'bogus' as 'pipe' }),
    ).rejects.toMatchObject({ code: 'ERR_INVALID_INPUT' });
    expect(existsSync(marker)).toBe(false);
  });
});
