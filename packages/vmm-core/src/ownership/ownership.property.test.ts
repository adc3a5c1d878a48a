// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import {
  checkParsedOrRefused,
  checkRefusedBeforeSpawn,
  createCountingSpawner,
  garbage,
  hostileString,
} from '@kindling/helpers/testing';
import * as fc from 'fast-check';
import { assert, asyncProperty, property } from 'fast-check';
import { describe, it } from 'vitest';
import { VmmCoreError } from '../errors.js';
import { downgradeOwner } from './downgrade-owner.js';
import { parseOwnershipModel } from './ownership-model.js';
import { upgradeOwner } from './upgrade-owner.js';

const refusal = (names: string) => ({ errorClass: VmmCoreError, names });

const model = fc.oneof(
  garbage(),
  fc.constantFrom('shared', 'upgraded', 'downgraded').chain((kind) =>
    fc.record(
      {
        kind: fc.constant(kind),
        uid: fc.oneof(fc.nat(), garbage()),
        gid: fc.oneof(fc.nat(), garbage()),
      },
      { requiredKeys: ['kind'] },
    ),
  ),
  fc.constantFrom(
    { kind: 'shared' },
    { kind: 'upgraded-sudo' },
    { kind: 'downgraded', uid: 1, gid: 1 },
  ),
);
const somePath = fc.oneof(hostileString(), fc.constantFrom('/tmp/kindling-none', 'relative/x'));

describe('ownership', () => {
  it('parseOwnershipModel parses anything or refuses it naming the ownership', () => {
    assert(
      property(model, (value) => {
        checkParsedOrRefused(() => parseOwnershipModel(value), refusal('ownership'));
      }),
      { numRuns: 300 },
    );
  });

  it.each([
    ['upgradeOwner', upgradeOwner],
    ['downgradeOwner', downgradeOwner],
  ] as const)('%s refuses bad input before spawning anything', async (name, change) => {
    const spawner = createCountingSpawner();
    await assert(
      asyncProperty(
        somePath,
        model,
        fc.oneof(garbage(), fc.record({ timeoutMs: fc.oneof(fc.integer(), garbage()) })),
        async (path, given, options) => {
          await checkRefusedBeforeSpawn(
            () => change(path, given as never, spawner, options as never),
            refusal(name),
            spawner,
          );
        },
      ),
      { numRuns: 200 },
    );
  });
});
