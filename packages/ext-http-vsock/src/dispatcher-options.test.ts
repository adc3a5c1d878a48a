// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { describe, expect, it } from 'vitest';
import { resolveDispatcherOptions } from './dispatcher-options.js';

const messageOf = (run: () => unknown): unknown => {
  try {
    run();
  } catch (error) {
    return { code: (error as { code?: unknown }).code, message: (error as Error).message };
  }
  throw new Error('expected a throw');
};

describe('resolveDispatcherOptions', () => {
  it('fills in the defaults', () => {
    expect(resolveDispatcherOptions(8000)).toEqual({
      port: 8000,
      options: {
        origin: 'http://localhost',
        connections: 16,
        connectTimeoutMs: 10_000,
        keepAliveTimeoutMs: 4_000,
        headersTimeoutMs: 30_000,
        bodyTimeoutMs: 30_000,
      },
    });
  });

  it('keeps what is given', () => {
    const { options } = resolveDispatcherOptions(0xff_ff_ff_ff, {
      origin: 'http://agent.guest:8080',
      connections: 1,
      connectTimeoutMs: 1,
    });
    expect(options).toMatchObject({
      origin: 'http://agent.guest:8080',
      connections: 1,
      connectTimeoutMs: 1,
    });
  });

  it('names the field, the rule and the value of bad input', () => {
    expect(messageOf(() => resolveDispatcherOptions(1.5, {}))).toEqual({
      code: 'ERR_INVALID_INPUT',
      message: 'port: expected an integer from 0 to 4294967295, got 1.5',
    });
    expect(messageOf(() => resolveDispatcherOptions(2 ** 32, {}))).toMatchObject({
      message: 'port: expected an integer from 0 to 4294967295, got 4294967296',
    });
    expect(
      messageOf(() => resolveDispatcherOptions(8000, { connections: 0, headersTimeoutMs: -1 })),
    ).toEqual({
      code: 'ERR_INVALID_INPUT',
      message:
        'options.connections: expected an integer from 1 to 1024, got 0\noptions.headersTimeoutMs: expected a positive integer of milliseconds up to 2147483647, got -1',
    });
    expect(
      messageOf(() => resolveDispatcherOptions(8000, { origin: 'https://localhost' })),
    ).toMatchObject({
      message:
        'options.origin: expected an http origin such as http://localhost, got "https://localhost"',
    });
    expect(
      messageOf(() => resolveDispatcherOptions(8000, { origin: 'http://localhost/ping' })),
    ).toMatchObject({
      message: expect.stringContaining('options.origin: expected an http origin'),
    });
    expect(
      messageOf(() => resolveDispatcherOptions(8000, { timeoutMs: 5 } as object)),
    ).toMatchObject({
      message: expect.stringMatching(/^options\.timeoutMs: unknown key.*connectTimeoutMs/u),
    });
    expect(
      messageOf(() => resolveDispatcherOptions(8000, 'fast' as unknown as object)),
    ).toMatchObject({
      message: 'options: expected an options object, got "fast"',
    });
  });
});
