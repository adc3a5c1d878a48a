// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import {
  checkParsedOrRefused,
  checkRefusedBeforeSpawn,
  createCountingSpawner,
  garbage,
  hostileString,
  withOneFieldChanged,
} from '@kindling/helpers/testing';
import * as fc from 'fast-check';
import { assert, asyncProperty, property } from 'fast-check';
import { describe, it } from 'vitest';
import { VmmCoreError } from '../errors.js';
import { VmmInstallation } from './vmm-installation.js';

const refusal = (names: string | readonly string[]) => ({ errorClass: VmmCoreError, names });

const validPaths = fc.record({
  firecrackerPath: fc.constantFrom('/nonexistent/firecracker', 'bin/firecracker'),
  jailerPath: fc.constant('/nonexistent/jailer'),
  snapshotEditorPath: fc.constant('/nonexistent/snapshot-editor'),
});

describe('VmmInstallation', () => {
  it('given anything, is built or refuses it naming installation', () => {
    assert(
      property(
        fc.oneof(
          garbage(),
          withOneFieldChanged(validPaths, fc.oneof(garbage(), hostileString())).map(
            ({ value }) => value,
          ),
        ),
        (paths) => {
          checkParsedOrRefused(() => new VmmInstallation(paths as never), refusal('installation'));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('verify refuses a bad version or bad options before running any binary', async () => {
    // Existing executables (node itself), so that a valid call goes as far as the spawn.
    const installation = new VmmInstallation({
      firecrackerPath: process.execPath,
      jailerPath: process.execPath,
      snapshotEditorPath: process.execPath,
    });
    const spawner = createCountingSpawner();
    await assert(
      asyncProperty(
        fc.oneof(garbage(), hostileString(), fc.constantFrom('1.16.1', 'v1.16.1', '1.16')),
        fc.oneof(
          garbage(),
          fc.record(
            {
              timeoutMs: fc.oneof(fc.integer({ min: 1, max: 1000 }), garbage()),
              signal: fc.oneof(fc.constant(AbortSignal.abort()), garbage()),
              extra: garbage(),
            },
            { requiredKeys: [] },
          ),
        ),
        async (version, options) => {
          await checkRefusedBeforeSpawn(
            () => installation.verify(version as never, { ...(options as object), spawner }),
            refusal(['expectedVersion', 'verifyOptions']),
            spawner,
          );
        },
      ),
      { numRuns: 200 },
    );
  });
});
