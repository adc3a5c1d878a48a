// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { JailerArguments, parseVmmId, VmmArguments } from '@kindling/vmm-core';
import { describe, expect, it } from 'vitest';
import { ExecutorError } from './errors.js';
import {
  DEFAULT_PID_FILE_TIMEOUT_MS,
  resolveJailedExecutorOptions,
  type JailedExecutorOptions,
} from './jailed-executor-options.js';
import { resolveFlatVirtualPath } from './virtual-path-resolver.js';

const jailerArguments = new JailerArguments({
  id: parseVmmId('vm-options'),
  execFile: '/usr/bin/firecracker',
  uid: 1000,
  gid: 1000,
});
const base: JailedExecutorOptions = { vmmArguments: new VmmArguments(), jailerArguments };
const resolveUnderData = (initialPath: string) => `/data${initialPath}`;

const messageOf = (options: unknown): string => {
  try {
    resolveJailedExecutorOptions(options as JailedExecutorOptions);
  } catch (error) {
    expect(error).toBeInstanceOf(ExecutorError);
    expect(error).toMatchObject({ code: 'ERR_INVALID_INPUT', cause: expect.any(Error) });
    return (error as Error).message;
  }
  throw new Error('the options were accepted');
};

describe('resolveJailedExecutorOptions', () => {
  it('fills in every default and keeps the given instances', () => {
    const resolved = resolveJailedExecutorOptions(base);
    expect(resolved.vmmArguments).toBe(base.vmmArguments);
    expect(resolved.jailerArguments).toBe(jailerArguments);
    expect(resolved.commandModifiers).toEqual([]);
    expect(resolved.stdio).toBe('pipe');
    expect(resolved.resolveVirtualPath).toBe(resolveFlatVirtualPath);
    expect(resolved.pidFileTimeoutMs).toBe(DEFAULT_PID_FILE_TIMEOUT_MS);
  });

  it('keeps a given resolver and per-stream stdio', () => {
    const resolved = resolveJailedExecutorOptions({
      ...base,
      resolveVirtualPath: resolveUnderData,
      stdio: { stdout: 'inherit' },
      pidFileTimeoutMs: 500,
    });
    expect(resolved.resolveVirtualPath).toBe(resolveUnderData);
    expect(resolved.stdio).toEqual({ stdout: 'inherit' });
    expect(resolved.pidFileTimeoutMs).toBe(500);
  });

  it('names the option, the rule and the value of every bad field, one per line', () => {
    expect(
      messageOf({
        ...base,
        jailerArguments: 'jail',
        resolveVirtualPath: '/',
        pidFileTimeoutMs: 1.5,
        commandModifiers: [{}],
      }).split('\n'),
    ).toEqual([
      'JailedExecutor.commandModifiers[0]: expected a CommandModifier (an object with an apply method), got {}',
      'JailedExecutor.jailerArguments: expected a JailerArguments, got "jail"',
      'JailedExecutor.resolveVirtualPath: expected a function of an initial path, got "/"',
      'JailedExecutor.pidFileTimeoutMs: expected a positive integer of milliseconds up to 2147483647, got 1.5',
    ]);
  });

  it('refuses a misspelt option and options that are not an object', () => {
    expect(messageOf({ ...base, pidFileTimeout: 5 })).toMatch(
      /^JailedExecutor\.pidFileTimeout: unknown key; did you mean pidFileTimeoutMs\?$/u,
    );
    expect(messageOf(null)).toBe('JailedExecutor: expected an options object, got null');
  });
});
