// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  anyJsonValue,
  checkParsedOrRefusedAsync,
  hostileString,
  whenParsed,
} from '@kindling/helpers/testing';
import * as fc from 'fast-check';
import { assert, asyncProperty } from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CliError } from '../errors.js';
import { readConfigFile } from './config-file.js';

const ITEMS = new Set([
  'bootSource',
  'drives',
  'pmem',
  'machineConfig',
  'cpuConfig',
  'networkInterfaces',
  'balloon',
  'vsock',
  'logger',
  'metrics',
  'memoryHotplug',
  'mmdsConfig',
  'entropy',
]);
const SECTIONS = ['boot-source', 'drives', 'machine-config', 'vsock', 'mmds-config'];

let folder: string;
beforeAll(async () => {
  folder = await mkdtemp(path.join(tmpdir(), 'kindling-props-cli-'));
});
afterAll(async () => {
  await rm(folder, { recursive: true, force: true });
});

// Text a --config file may hold: JSON of any shape, objects with real, misspelt and hostile
// sections (`__proto__`, `constructor`), or no JSON at all.
const documentText = fc.oneof(
  anyJsonValue.map((value) => JSON.stringify(value)),
  fc
    .dictionary(
      fc.oneof(
        fc.constantFrom(...SECTIONS, '__proto__', 'constructor', 'toString', 'hasOwnProperty'),
        hostileString(),
      ),
      anyJsonValue,
      { maxKeys: 4 },
    )
    .map((document) => JSON.stringify(document)),
  fc.constantFrom('{"__proto__": {"drives": []}}', '{"constructor": {}}', '{"toString": 1}'),
  hostileString(),
  fc.string({ unit: 'binary', maxLength: 64 }),
);

describe('kindling run --config', () => {
  it('reads any file into known configuration items, or refuses it with ERR_INVALID_INPUT naming --config', async () => {
    let count = 0;
    await assert(
      asyncProperty(documentText, async (text) => {
        count += 1;
        const file = path.join(folder, `config-${count}.json`);
        await writeFile(file, text);
        whenParsed(
          await checkParsedOrRefusedAsync(() => readConfigFile(file), {
            errorClass: CliError,
            names: '--config',
          }),
          (items) => {
            expect(Object.keys(items).filter((key) => !ITEMS.has(key))).toEqual([]);
          },
        );
      }),
      { numRuns: 300 },
    );
  });
});
