// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import {
  checkParsedOrRefused,
  checkParsedOrRefusedAsync,
  garbage,
  hostileString,
} from '@kindling/helpers/testing';
import * as fc from 'fast-check';
import { assert, asyncProperty, property } from 'fast-check';
import { describe, it } from 'vitest';
import { VmmCoreError } from '../errors.js';
import { ResourceSystem } from './resource-system.js';

const refusal = (names: string | readonly string[]) => ({ errorClass: VmmCoreError, names });

const resourceType = fc.oneof(
  garbage(),
  fc.constantFrom(
    { kind: 'moved', method: 'copy' },
    { kind: 'moved', method: 'teleport' },
    { kind: 'created', fileType: 'fifo' },
    { kind: 'produced' },
    { kind: 'produced', extra: 1 },
  ),
);

describe('ResourceSystem', () => {
  it('given any options, is built or refuses them naming options', () => {
    assert(
      property(
        fc.oneof(
          garbage(),
          fc.record(
            { ownership: garbage(), toolTimeoutMs: garbage(), spawner: garbage() },
            { requiredKeys: [] },
          ),
        ),
        (options) => {
          checkParsedOrRefused(() => new ResourceSystem(options as never), refusal('options'));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('createResource takes any path and type, or refuses naming createResource, touching nothing', () => {
    const system = new ResourceSystem();
    assert(
      property(fc.oneof(garbage(), hostileString()), resourceType, (initialPath, type) => {
        checkParsedOrRefused(
          () => system.createResource(initialPath as never, type as never),
          refusal('createResource'),
        );
      }),
      { numRuns: 300 },
    );
  });

  it('initialize, dispose and initializeAll refuse what is not one of its resources, or bad options', async () => {
    const system = new ResourceSystem();
    await assert(
      asyncProperty(garbage(), garbage(), async (resource, options) => {
        await checkParsedOrRefusedAsync(
          () => system.initialize(resource as never, options as never),
          refusal('initialize'),
        );
        await checkParsedOrRefusedAsync(
          () => system.dispose(resource as never, options as never),
          refusal('dispose'),
        );
        await checkParsedOrRefusedAsync(
          () => system.initializeAll(resource as never, options as never),
          refusal('initializeAll'),
        );
      }),
      { numRuns: 200 },
    );
  });
});
