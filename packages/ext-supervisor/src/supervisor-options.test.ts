// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import type { Vm } from '@kindling/vm';
import { describe, expect, it } from 'vitest';
import { parseSupervisorOptions } from './supervisor-options.js';

// Never called: these tests only parse options.
const start = (): Promise<Vm> => Promise.reject(new Error('not started in a unit test'));

const messageOf = (options: unknown): string => {
  try {
    parseSupervisorOptions(options);
  } catch (error) {
    expect(error).toMatchObject({ name: 'SupervisorError', code: 'ERR_INVALID_INPUT' });
    return (error as Error).message;
  }
  throw new Error('the options were accepted');
};

describe('parseSupervisorOptions', () => {
  it("applies OTP's defaults: one-for-one, 1 restart in 5 s, permanent children", () => {
    expect(parseSupervisorOptions({ children: [{ id: 'a', start }] })).toEqual({
      strategy: 'one-for-one',
      maxRestarts: 1,
      withinMs: 5_000,
      startTimeoutMs: 60_000,
      stopTimeoutMs: 30_000,
      children: [{ id: 'a', start, restart: 'permanent' }],
    });
  });

  it('names each bad field, with what it got', () => {
    expect(
      messageOf({
        strategy: 'simple-one-for-one',
        withinMs: 0,
        children: [{ id: '', start: 'boot.sh', restart: 'always' }],
      }),
    ).toBe(
      [
        'options.strategy: Invalid option: expected one of "one-for-one"|"one-for-all"|"rest-for-one", got "simple-one-for-one"',
        'options.withinMs: Too small: expected number to be >0, got 0',
        'options.children[0].id: Too small: expected string to have >=1 characters, got ""',
        'options.children[0].start: expected a function (context) => Promise<Vm>, got "boot.sh"',
        'options.children[0].restart: Invalid option: expected one of "permanent"|"transient"|"temporary", got "always"',
      ].join('\n'),
    );
  });

  it('refuses two children of one id, and a snapshot without its restore', () => {
    expect(
      messageOf({
        children: [
          { id: 'a', start },
          { id: 'a', start, snapshot: start },
        ],
      }),
    ).toBe(
      [
        'options.children[1].restore: snapshot and restore go together: give both, or neither, got nothing',
        'options.children[1].id: ids must be unique (another child has this one), got "a"',
      ].join('\n'),
    );
  });

  it('refuses an unknown key, naming the one it most likely meant', () => {
    expect(messageOf({ children: [], maxRestart: 3 })).toContain(
      'options.maxRestart: unknown key; did you mean maxRestarts?',
    );
  });
});
