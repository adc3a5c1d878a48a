// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { describe, expect, it } from 'vitest';
import { resolveExecOptions, resolveSpawnOptions } from './exec-options.js';
import { resolveSessionOptions } from './session-options.js';

const refusal = (message: string): unknown =>
  expect.objectContaining({ name: 'ExecError', code: 'ERR_INVALID_INPUT', message }) as unknown;

describe('exec options', () => {
  it('fills in the defaults', () => {
    expect(resolveExecOptions(['ls'], {})).toEqual({
      argv: ['ls'],
      options: {
        shell: false,
        pty: false,
        killSignal: 'SIGKILL',
        timeoutMs: 600_000,
        encoding: 'utf8',
        maxBuffer: 64 * 1024 * 1024,
      },
    });
    expect(resolveSpawnOptions(['ls'], {}).options).toEqual({
      shell: false,
      pty: false,
      killSignal: 'SIGKILL',
    });
    expect(resolveSessionOptions({})).toEqual({ port: 10_000, connectTimeoutMs: 10_000 });
  });

  it('turns a shell script into /bin/sh -c, and wants exactly one string for it', () => {
    expect(resolveSpawnOptions(['echo $HOME'], { shell: true }).argv).toEqual([
      '/bin/sh',
      '-c',
      'echo $HOME',
    ]);
    expect(() => resolveSpawnOptions(['a', 'b'], { shell: true })).toThrow(
      refusal('argv: expected one string, the script, when options.shell is true, got ["a","b"]'),
    );
  });

  it('names the bad field, the value and the rule', () => {
    expect(() => resolveExecOptions([], {})).toThrow(
      refusal(
        'argv: expected a non-empty array of strings: the program, then its arguments, got []',
      ),
    );
    expect(() => resolveExecOptions(['ls'], { timeoutMs: 0 })).toThrow(
      refusal(
        'options.timeoutMs: expected a positive integer of milliseconds up to 2147483647, or Infinity, got 0',
      ),
    );
    expect(() => resolveSpawnOptions(['ls'], { killSignal: 'SIGNOPE' })).toThrow(
      refusal(
        'options.killSignal: expected a signal name such as SIGTERM or SIGKILL, got "SIGNOPE"',
      ),
    );
    expect(() => resolveSpawnOptions(['ls'], { pty: { cols: 0, rows: 24 } })).toThrow(
      refusal('options.pty.cols: expected a positive integer (columns), got 0'),
    );
    expect(() => resolveExecOptions(['ls'], { encoding: 'klingon' as never })).toThrow(
      refusal(
        "options.encoding: expected 'buffer' or a text encoding such as 'utf8', got \"klingon\"",
      ),
    );
    expect(() => resolveExecOptions(['ls'], { maxbuffer: 1 } as never)).toThrow(
      refusal('options.maxbuffer: unknown key; did you mean maxBuffer?'),
    );
  });
});
