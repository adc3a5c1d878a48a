// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { VmmInstallation, ResourceSystem } from '@kindling/vmm-core';
import { describe, expect, it } from 'vitest';
import { resolveVmPrepareOptions } from './prepare-options.js';

const executor = {
  getSocketPath: () => '/run/fc.sock',
  resolveEffectivePath: (_context: unknown, file: string) => file,
  prepare: () => Promise.resolve(),
  invoke: () => Promise.reject(new Error('not in a unit test')),
  cleanup: () => Promise.resolve(),
};
const installation = new VmmInstallation({
  firecrackerPath: '/bin/firecracker',
  jailerPath: '/bin/jailer',
  snapshotEditorPath: '/bin/snapshot-editor',
});
const configuration = { bootSource: { kernel_image_path: '/vmlinux' } };
const base = { executor, installation, configuration };

describe('resolveVmPrepareOptions', () => {
  it('applies the defaults', () => {
    const resolved = resolveVmPrepareOptions(base);
    expect(resolved).toMatchObject({
      ownership: { kind: 'shared' },
      moveMethod: 'hard-link-or-copy',
      resourceSystem: undefined,
      shutdownActions: [
        { method: 'ctrl-alt-del', timeoutMs: 10_000, graceful: true },
        { method: 'kill', timeoutMs: 5_000, graceful: false },
      ],
      configuration: { kind: 'new-via-api', bootSource: { kernel_image_path: '/vmlinux' } },
    });
    expect(resolved.spawner).toHaveProperty('spawn');
  });

  it.each([
    [{ ...base, excutor: executor }, 'options.excutor: unknown key; did you mean executor?'],
    [{ ...base, executor: {} }, 'options.executor: expected a VmmExecutor'],
    [
      { ...base, installation: '/bin' },
      'options.installation: expected a VmmInstallation, got "/bin"',
    ],
    [
      { ...base, moveMethod: 'symlink' },
      'options.moveMethod: expected one of copy, hard-link, copy-or-hard-link, hard-link-or-copy, rename, got "symlink"',
    ],
    [
      { ...base, apiTimeoutMs: 0 },
      'options.apiTimeoutMs: expected a positive integer up to 2147483647 (milliseconds) or Infinity, got 0',
    ],
    [{ ...base, ownership: { kind: 'downgraded', uid: -1, gid: 0 } }, 'options.ownership.uid'],
    [
      { ...base, logger: { warn: () => true } },
      'options.logger: expected a logger with debug, info, warn and error methods',
    ],
    [
      { ...base, shutdownActions: [] },
      'options.shutdownActions: expected a non-empty array of shutdown actions, got []',
    ],
    [{ ...base, stateDir: '' }, 'options.stateDir: expected a folder path or false, got ""'],
    [{ ...base, killOnSignal: 'no' }, 'options.killOnSignal: expected a boolean, got "no"'],
  ])('refuses %#', (options, message) => {
    expect(() => resolveVmPrepareOptions(options)).toThrow(
      expect.objectContaining({
        code: 'ERR_INVALID_INPUT',
        message: expect.stringContaining(message),
      }),
    );
  });

  it('reports a bad configuration as ERR_INVALID_INPUT', () => {
    expect(() => resolveVmPrepareOptions({ ...base, configuration: {} })).toThrow(
      expect.objectContaining({ code: 'ERR_INVALID_INPUT' }),
    );
  });

  it('takes the ownership model of a given resource system, and refuses a second one', () => {
    const resourceSystem = new ResourceSystem({
      ownership: { kind: 'downgraded', uid: 7, gid: 8 },
    });
    expect(resolveVmPrepareOptions({ ...base, resourceSystem })).toMatchObject({
      resourceSystem,
      ownership: { kind: 'downgraded', uid: 7, gid: 8 },
    });
    expect(() =>
      resolveVmPrepareOptions({ ...base, resourceSystem, ownership: { kind: 'shared' } }),
    ).toThrow('options.ownership: cannot be set with options.resourceSystem');
  });
});
