// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import {
  checkParsedOrRefused,
  checkParsedOrRefusedAsync,
  createCountingSpawner,
  garbage,
  hostileString,
  withOneFieldChanged,
} from '@kindling/helpers/testing';
import { VmmInstallation } from '@kindling/vmm-core';
import * as fc from 'fast-check';
import { assert, asyncProperty, property } from 'fast-check';
import { describe, expect, it } from 'vitest';
import { VmError } from './errors.js';
import { resolveVmPrepareOptions } from './prepare-options.js';
import { Vm } from './vm.js';

const refusal = (names: string | readonly string[]) => ({ errorClass: VmError, names });

// An executor stand-in that counts every hook it is asked to run.
const createCountingExecutor = () => {
  const calls: string[] = [];
  return {
    calls,
    getSocketPath: () => '/run/kindling-props.sock',
    resolveEffectivePath: (_context: unknown, file: string) => file,
    prepare: () => {
      calls.push('prepare');
      return Promise.resolve();
    },
    invoke: () => {
      calls.push('invoke');
      return Promise.reject(new Error('not in a unit test'));
    },
    cleanup: () => {
      calls.push('cleanup');
      return Promise.resolve();
    },
  };
};

const installation = new VmmInstallation({
  firecrackerPath: '/nonexistent/firecracker',
  jailerPath: '/nonexistent/jailer',
  snapshotEditorPath: '/nonexistent/snapshot-editor',
});

const validOptions = (executor: object, spawner: object) =>
  fc.record(
    {
      executor: fc.constant(executor),
      installation: fc.constant(installation),
      configuration: fc.constant({ bootSource: { kernel_image_path: '/vmlinux' } }),
      spawner: fc.constant(spawner),
      elevatedSpawner: fc.constant(spawner),
      ownership: fc.constantFrom({ kind: 'shared' }, { kind: 'downgraded', uid: 1, gid: 1 }),
      moveMethod: fc.constantFrom('copy', 'rename', 'hard-link'),
      socketWaitTimeoutMs: fc.integer({ min: 1, max: 60_000 }),
      apiTimeoutMs: fc.integer({ min: 1, max: 60_000 }),
      stateDir: fc.constant(false),
      shutdownActions: fc.constant([{ method: 'kill', timeoutMs: 1000 }]),
    },
    { requiredKeys: ['executor', 'installation', 'configuration', 'stateDir'] },
  );

describe('Vm.prepare options', () => {
  it('given anything, resolves them or refuses them with ERR_INVALID_INPUT naming the option', () => {
    const executor = createCountingExecutor();
    const spawner = createCountingSpawner();
    assert(
      property(
        fc.oneof(
          garbage(),
          withOneFieldChanged(
            validOptions(executor, spawner),
            fc.oneof(garbage(), hostileString()),
          ).map(({ value }) => value),
        ),
        (options) => {
          checkParsedOrRefused(
            () => resolveVmPrepareOptions(options),
            refusal(['options', 'configuration']),
          );
        },
      ),
      { numRuns: 300 },
    );
  });

  it('Vm.prepare refuses them the same way, before the executor or a spawner is asked for anything', async () => {
    const executor = createCountingExecutor();
    const spawner = createCountingSpawner();
    await assert(
      asyncProperty(
        withOneFieldChanged(validOptions(executor, spawner), fc.oneof(garbage(), hostileString()))
          .map(({ value }) => value)
          .filter(
            (options) =>
              !checkParsedOrRefused(
                () => resolveVmPrepareOptions(options),
                refusal(['options', 'configuration']),
              ).parsed,
          ),
        async (options) => {
          const outcome = await checkParsedOrRefusedAsync(
            () => Vm.prepare(options as never),
            refusal(['options', 'configuration']),
          );
          expect(outcome.parsed).toBe(false);
          expect(executor.calls).toEqual([]);
          expect(spawner.calls).toEqual([]);
        },
      ),
      { numRuns: 200 },
    );
  });
});
