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
import { SnapshotEditorError } from './errors.js';
import { SnapshotEditor } from './snapshot-editor.js';

const refusal = { errorClass: SnapshotEditorError, names: 'options' };

const path = fc.oneof(
  fc.constantFrom('/snapshots/mem', '/snapshots/diff', 'relative/state'),
  hostileString(),
  garbage(),
);
const snapshot = fc.oneof(
  garbage(),
  fc.record(
    { type: fc.constantFrom('Full', 'Diff', 'Other'), memPath: path, snapshotPath: path },
    { requiredKeys: [] },
  ),
);
const callOptions = {
  signal: fc.oneof(fc.constant(new AbortController().signal), garbage()),
  timeoutMs: fc.oneof(fc.integer({ min: 1, max: 60_000 }), garbage()),
};

describe('SnapshotEditor', () => {
  it('given any options, is built or refuses them naming options', () => {
    assert(
      property(
        fc.oneof(
          garbage(),
          withOneFieldChanged(
            fc.record(
              {
                binaryPath: fc.constant('/usr/bin/snapshot-editor'),
                timeoutMs: fc.integer({ min: 1, max: 60_000 }),
              },
              { requiredKeys: [] },
            ),
            fc.oneof(garbage(), hostileString()),
          ).map(({ value }) => value),
        ),
        (options) => {
          checkParsedOrRefused(() => new SnapshotEditor(options as never), refusal);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('every call refuses bad options before it runs the binary', async () => {
    const spawner = createCountingSpawner();
    const editor = new SnapshotEditor({ binaryPath: '/nonexistent/snapshot-editor', spawner });
    await assert(
      asyncProperty(
        fc.oneof(
          garbage(),
          fc.record({ memoryPath: path, diffPath: path, ...callOptions }, { requiredKeys: [] }),
        ),
        fc.oneof(
          garbage(),
          fc.record({ base: snapshot, diff: snapshot, ...callOptions }, { requiredKeys: [] }),
        ),
        fc.oneof(garbage(), fc.record({ vmstatePath: path, ...callOptions }, { requiredKeys: [] })),
        async (memory, snapshots, state) => {
          await checkRefusedBeforeSpawn(
            () => editor.rebaseMemory(memory as never),
            refusal,
            spawner,
          );
          await checkRefusedBeforeSpawn(
            () => editor.rebaseSnapshot(snapshots as never),
            refusal,
            spawner,
          );
          await checkRefusedBeforeSpawn(() => editor.readVersion(state as never), refusal, spawner);
          await checkRefusedBeforeSpawn(() => editor.readVmState(state as never), refusal, spawner);
        },
      ),
      { numRuns: 300 },
    );
  });
});
