// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import {
  checkParsedOrRefused,
  garbage,
  hostileString,
  whenParsed,
  withOneFieldChanged,
} from '@kindling/helpers/testing';
import * as fc from 'fast-check';
import { assert, property } from 'fast-check';
import { describe, expect, it } from 'vitest';
import { VmmCoreError } from '../errors.js';
import { NetnsModifier } from './netns-modifier.js';

const refusal = (names: string | readonly string[]) => ({ errorClass: VmmCoreError, names });

const validOptions = fc.record(
  {
    netns: fc.stringMatching(/^[a-z][a-z0-9_-]{0,14}$/u),
    iproute2Path: fc.constantFrom('/usr/sbin/ip', '/sbin/ip', '/bin/ip'),
  },
  { requiredKeys: ['netns'] },
);

describe('NetnsModifier', () => {
  it('given anything, is built or refuses it with ERR_INVALID_INPUT naming netnsModifier', () => {
    assert(
      property(garbage(), (options) => {
        checkParsedOrRefused(() => new NetnsModifier(options as never), refusal('netnsModifier'));
      }),
      { numRuns: 300 },
    );
  });

  it('with one option changed, refuses naming it or runs the command as argv inside the namespace', () => {
    assert(
      property(
        withOneFieldChanged(validOptions, fc.oneof(garbage(), hostileString())),
        fc.array(hostileString(), { maxLength: 3 }),
        ({ value, field }, args) => {
          whenParsed(
            checkParsedOrRefused(
              () => new NetnsModifier(value as never),
              refusal([`netnsModifier.${field}`, `"${field}"`]),
            ),
            (modifier) => {
              const command = modifier.apply({ binary: '/usr/bin/firecracker', args });
              // One argv entry per part, the namespace a name rather than a path.
              expect(command.args).toEqual([
                'netns',
                'exec',
                modifier.options.netns,
                '/usr/bin/firecracker',
                ...args,
              ]);
              expect(modifier.options.netns).not.toMatch(/[/\0]/u);
              expect(command.binary.startsWith('/')).toBe(true);
            },
          );
        },
      ),
      { numRuns: 300 },
    );
  });
});
