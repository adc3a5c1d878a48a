// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import {
  checkParsedOrRefused,
  checkParsedOrRefusedAsync,
  checkRefused,
  garbage,
  hostileString,
  whenParsed,
} from '@kindling/helpers/testing';
import * as fc from 'fast-check';
import { assert, asyncProperty, property } from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DirectSpawner } from './direct-spawner.js';
import { SpawnError } from './spawn-error.js';
import { resolveSpawnRequest } from './spawn-options.js';

const refusal = { errorClass: SpawnError, names: ['binary', 'args', 'options'] };

const stdio = fc.oneof(
  garbage(),
  fc.constantFrom('pipe', 'ignore', 'inherit', 'overlapped'),
  fc.record(
    {
      stdin: fc.constantFrom('pipe', 'ignore', 'inherit', 1),
      stdout: garbage(),
      stderr: fc.constant('pipe'),
    },
    { requiredKeys: [] },
  ),
);
const options = fc.oneof(
  garbage(),
  fc.record(
    {
      stdio,
      env: fc.oneof(
        garbage(),
        fc.dictionary(hostileString(), fc.oneof(hostileString(), garbage()), { maxKeys: 3 }),
      ),
      extendEnv: fc.oneof(fc.boolean(), garbage()),
      cwd: fc.oneof(hostileString(), garbage()),
      signal: fc.oneof(fc.constant(new AbortController().signal), garbage()),
      extra: garbage(),
    },
    { requiredKeys: [] },
  ),
);
const binary = fc.oneof(hostileString(), garbage());
const args = fc.oneof(
  fc.array(hostileString(), { maxLength: 4 }),
  fc.array(garbage(), { maxLength: 2 }),
  garbage(),
);

describe('a spawn request', () => {
  it('given anything, resolves or refuses it with ERR_INVALID_INPUT naming binary, args or options', () => {
    assert(
      property(binary, args, options, (givenBinary, givenArgs, givenOptions) => {
        whenParsed(
          checkParsedOrRefused(
            () => resolveSpawnRequest(givenBinary, givenArgs, givenOptions),
            refusal,
          ),
          (request) => {
            // What reaches the OS: strings without NUL, a non-empty binary, one argv entry per arg.
            expect(request.binary).not.toBe('');
            expect(
              [
                request.binary,
                ...request.args,
                ...Object.keys(request.env),
                ...Object.values(request.env),
              ].some((text) => text.includes('\0')),
            ).toBe(false);
            expect(request.args).toEqual(givenArgs);
          },
        );
      }),
      { numRuns: 500 },
    );
  });

  it('DirectSpawner refuses every request resolveSpawnRequest refuses, with the same error and no process', async () => {
    const spawner = new DirectSpawner();
    await assert(
      asyncProperty(
        fc
          .tuple(binary, args, options)
          .filter(
            ([b, a, o]) =>
              !checkParsedOrRefused(() => resolveSpawnRequest(b, a, o), refusal).parsed,
          ),
        async ([givenBinary, givenArgs, givenOptions]) => {
          const expected = checkRefused(
            () => resolveSpawnRequest(givenBinary, givenArgs, givenOptions),
            refusal,
          );
          // A spawn attempt would reject with ERR_SPAWN_FAILED (or start something) instead.
          const outcome = await checkParsedOrRefusedAsync(
            () => spawner.spawn(givenBinary as never, givenArgs as never, givenOptions as never),
            refusal,
          );
          expect(outcome).toEqual({ parsed: false, error: expected });
        },
      ),
      { numRuns: 300 },
    );
  });
});
