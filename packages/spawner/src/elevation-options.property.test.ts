// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import {
  checkParsedOrRefused,
  checkParsedOrRefusedAsync,
  garbage,
  hostileString,
  whenParsed,
  withOneFieldChanged,
} from '@kindling/helpers/testing';
import * as fc from 'fast-check';
import { assert, asyncProperty, property } from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkElevatedRequest, resolveElevationOptions } from './elevation-options.js';
import { SpawnError } from './spawn-error.js';
import { resolveSpawnRequest } from './spawn-options.js';
import { SudoSpawner } from './sudo-spawner.js';
import { SuSpawner } from './su-spawner.js';

const refusal = (names: string | readonly string[]) => ({ errorClass: SpawnError, names });

// An elevator that does not exist: were anything spawned, the error would be ERR_SPAWN_FAILED.
const MISSING = '/nonexistent/kindling-elevator';

const validOptions = (pathOption: 'sudoPath' | 'suPath') =>
  fc.record(
    {
      password: fc.string({ maxLength: 12 }).filter((text) => !/[\n\r\0]/u.test(text)),
      user: fc.stringMatching(/^[a-z_][a-z0-9_.-]{0,10}$/u),
      startTimeoutMs: fc.integer({ min: 1, max: 60_000 }),
      [pathOption]: fc.constant(MISSING),
    },
    { requiredKeys: [pathOption] },
  );

describe.each([
  ['SudoSpawner', 'sudoPath', (options: unknown) => new SudoSpawner(options as never)],
  ['SuSpawner', 'suPath', (options: unknown) => new SuSpawner(options as never)],
] as const)('%s', (_name, pathOption, create) => {
  it('given any options, is built or refuses them naming options', () => {
    assert(
      property(
        fc.oneof(
          garbage(),
          withOneFieldChanged(validOptions(pathOption), fc.oneof(garbage(), hostileString())).map(
            ({ value }) => value,
          ),
        ),
        (options) => {
          whenParsed(
            checkParsedOrRefused(
              () => resolveElevationOptions(options, pathOption, 'x'),
              refusal('options'),
            ),
            (resolved) => {
              // The user and the password go to sudo/su as data: one line, no option-looking user.
              expect(resolved.user.startsWith('-')).toBe(false);
              expect(String(resolved.password)).not.toMatch(/[\n\r\0]/u);
            },
          );
          checkParsedOrRefused(() => create(options), refusal('options'));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('refuses a request it cannot run elevated before spawning anything', async () => {
    const spawner = create({ [pathOption]: MISSING, password: 'secret' });
    await assert(
      asyncProperty(
        fc.oneof(hostileString(), garbage()),
        fc.oneof(fc.array(hostileString(), { maxLength: 3 }), garbage()),
        fc.oneof(
          garbage(),
          fc.record(
            {
              env: fc.dictionary(hostileString(), hostileString(), { maxKeys: 2 }),
              extendEnv: fc.boolean(),
              stdio: fc.constantFrom('inherit', 'pipe', { stdin: 'inherit' }),
            },
            { requiredKeys: [] },
          ),
        ),
        async (binary, args, options) => {
          const refusedEarly = !checkParsedOrRefused(
            () => checkElevatedRequest(resolveSpawnRequest(binary, args, options), true),
            refusal(['binary', 'args', 'options']),
          ).parsed;
          fc.pre(refusedEarly);
          const outcome = await checkParsedOrRefusedAsync(
            () => spawner.spawn(binary as never, args as never, options as never),
            refusal(['binary', 'args', 'options']),
          );
          expect(outcome.parsed).toBe(false);
        },
      ),
      { numRuns: 300 },
    );
  });
});
