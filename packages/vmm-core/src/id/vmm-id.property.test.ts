// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import {
  checkParsedOrRefused,
  garbage,
  hostileString,
  whenParsed,
} from '@kindling/helpers/testing';
import * as fc from 'fast-check';
import { assert, property } from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readArgsByTable } from '../../test/support/flag-table-parser.js';
import { FIRECRACKER_FLAGS, JAILER_FLAGS } from '../arguments/flags.js';
import { VmmCoreError } from '../errors.js';
import { findVmmIdProblem, isVmmId, parseVmmId } from './vmm-id.js';

const refusal = { errorClass: VmmCoreError, names: 'id' };

describe('VmmId', () => {
  it('given anything, parses it or refuses it with ERR_INVALID_INPUT naming the id', () => {
    assert(
      property(
        fc.oneof(garbage(), hostileString(), fc.stringMatching(/^[\p{L}\p{N}-]{1,70}$/u)),
        (value) => {
          const outcome = checkParsedOrRefused(() => parseVmmId(value), refusal);
          expect(isVmmId(value)).toBe(outcome.parsed);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('every id it accepts is one firecracker --id and jailer --id read back unchanged', () => {
    assert(
      property(fc.oneof(hostileString(), fc.stringMatching(/^[\p{L}\p{N}-]{1,70}$/u)), (value) => {
        whenParsed(
          checkParsedOrRefused(() => parseVmmId(value), refusal),
          (id) => {
            expect(findVmmIdProblem(id)).toBeUndefined();
            expect(readArgsByTable(FIRECRACKER_FLAGS, ['--id', id]).flags).toEqual({ id });
            expect(
              readArgsByTable(
                JAILER_FLAGS.filter((flag) => flag.option === 'id'),
                ['--id', id],
              ).flags,
            ).toEqual({ id });
          },
        );
      }),
      { numRuns: 500 },
    );
  });
});
