// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  checkParsedOrRefused,
  checkRefusedBeforeSpawn,
  createCountingSpawner,
  garbage,
  hostileString,
  withOneFieldChanged,
} from '@kindling/helpers/testing';
import { KindlingError } from '@kindling/spawner';
import {
  JailerArguments,
  NetnsModifier,
  ResourceSystem,
  VmmArguments,
  VmmInstallation,
} from '@kindling/vmm-core';
import * as fc from 'fast-check';
import { assert, asyncProperty, property } from 'fast-check';
import { describe, it } from 'vitest';
import { ExecutorError } from './errors.js';
import { JailedExecutor } from './jailed-executor.js';
import { UnrestrictedExecutor } from './unrestricted-executor.js';

const refusal = (names: string | readonly string[]) => ({ errorClass: ExecutorError, names });

// A socket path no test creates: prepare and cleanup find nothing there to remove.
const socketPath = path.join(tmpdir(), `kindling-props-${process.pid}`, 'none', 'api.sock');
const vmmArguments = new VmmArguments({ apiSocket: socketPath, id: 'props' });
const jailerArguments = new JailerArguments({
  id: 'props',
  execFile: '/nonexistent/firecracker',
  uid: 65_534,
  gid: 65_534,
  chrootBaseDir: path.join(tmpdir(), `kindling-props-${process.pid}`, 'jail'),
});

// The duck types the schemas recognise, with the probe key but nothing behind it.
const impostor = fc.constantFrom(
  { toArgs: 1 },
  { toArgs: () => 'x' },
  { apply: 1 },
  { spawn: 'x' },
  { initializeAll: null },
);

const commonOptions = fc.record(
  {
    vmmArguments: fc.constant(vmmArguments),
    commandModifiers: fc.constant([new NetnsModifier({ netns: 'props' })]),
    stdio: fc.constantFrom('pipe', 'ignore', { stdout: 'inherit' }),
  },
  { requiredKeys: ['vmmArguments'] },
);
const jailedOptions = fc.record(
  {
    vmmArguments: fc.constant(vmmArguments),
    jailerArguments: fc.constant(jailerArguments),
    stdio: fc.constantFrom('pipe', 'ignore'),
    pidFileTimeoutMs: fc.integer({ min: 1, max: 60_000 }),
  },
  { requiredKeys: ['vmmArguments', 'jailerArguments'] },
);
const replacement = fc.oneof(garbage(), hostileString(), impostor);

describe.each([
  [
    'UnrestrictedExecutor',
    commonOptions,
    { vmmArguments },
    (options: unknown) => new UnrestrictedExecutor(options as never),
  ],
  [
    'JailedExecutor',
    jailedOptions,
    { vmmArguments, jailerArguments },
    (options: unknown) => new JailedExecutor(options as never),
  ],
] as const)('%s', (name, validOptions, baseOptions, create) => {
  it('given any options, is built or refuses them naming the executor', () => {
    assert(
      property(
        fc.oneof(
          garbage(),
          withOneFieldChanged(validOptions, replacement).map(({ value }) => value),
        ),
        (options) => {
          checkParsedOrRefused(() => create(options), refusal(name));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('invoke refuses a bad context or bad options before spawning anything', async () => {
    const executor = create(baseOptions);
    const spawner = createCountingSpawner();
    const context = {
      installation: new VmmInstallation({
        firecrackerPath: '/nonexistent/firecracker',
        jailerPath: '/nonexistent/jailer',
        snapshotEditorPath: '/nonexistent/snapshot-editor',
      }),
      resourceSystem: new ResourceSystem(),
      spawner,
    };
    await assert(
      asyncProperty(
        fc.oneof(
          fc.constant(context),
          garbage(),
          withOneFieldChanged(fc.constant(context), replacement).map(({ value }) => value),
        ),
        fc.oneof(
          garbage(),
          fc.record(
            {
              configPath: fc.oneof(hostileString(), garbage()),
              signal: fc.oneof(garbage(), fc.constant(new AbortController().signal)),
            },
            { requiredKeys: [] },
          ),
        ),
        async (givenContext, options) => {
          await checkRefusedBeforeSpawn(
            // vmm-core's refusal of a --config-file path passes through unchanged (a KindlingError).
            () => executor.invoke(givenContext as never, options as never),
            { errorClass: KindlingError, names: ['invoke', 'vmmArguments.configFile', 'options'] },
            spawner,
          );
        },
      ),
      { numRuns: 300 },
    );
  });

  it('prepare and cleanup refuse a bad context or bad options without touching anything', async () => {
    const executor = create(baseOptions);
    await assert(
      asyncProperty(garbage(), garbage(), async (givenContext, options) => {
        const spawner = createCountingSpawner();
        await checkRefusedBeforeSpawn(
          () => executor.prepare(givenContext as never, options as never),
          refusal(['prepare', 'options']),
          spawner,
        );
        await checkRefusedBeforeSpawn(
          () => executor.cleanup(givenContext as never, options as never),
          refusal(['cleanup', 'options']),
          spawner,
        );
      }),
      { numRuns: 200 },
    );
  });
});
