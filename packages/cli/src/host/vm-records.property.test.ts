// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { anyJsonValue, hostileString } from '@kindling/helpers/testing';
import * as fc from 'fast-check';
import { assert, asyncProperty } from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StatePaths } from './state-paths.js';
import { readVmRecord, vmFolder } from './vm-records.js';

let paths: StatePaths;
beforeAll(async () => {
  const root = await mkdtemp(path.join(tmpdir(), 'kindling-props-records-'));
  paths = { root, processes: path.join(root, 'processes'), vms: path.join(root, 'vms') };
});
afterAll(async () => {
  await rm(paths.root, { recursive: true, force: true });
});

describe('VM records', () => {
  it('a record file holding anything is read as a record or as none, never as an exception', async () => {
    await assert(
      asyncProperty(
        fc.oneof(
          anyJsonValue.map((value) => JSON.stringify(value)),
          hostileString(),
          fc.constantFrom('{"name":', ''),
        ),
        async (text) => {
          const folder = vmFolder(paths, 'probe');
          await mkdir(folder, { recursive: true });
          await writeFile(path.join(folder, 'record.json'), text);
          // `kindling ls` reads every record: one torn or foreign file must not stop it.
          await expect(readVmRecord(paths, 'probe')).resolves.toBeUndefined();
        },
      ),
      { numRuns: 200 },
    );
  });
});
