// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

// Arbitraries for the property tests of every package's input: hostile strings, any JSON, any
// JavaScript value, and a valid object with one field changed. They live here, below every layer,
// because the tests of spawner and vmm-core may not import @kindling/test-utils (it sits above them).

import * as fc from 'fast-check';
import { type Arbitrary, type JsonValue } from 'fast-check';

// Pieces that break paths, shells, parsers and terminals.
const HOSTILE_PIECES = [
  '../',
  '..',
  '/',
  '\0',
  ' ',
  '\t',
  '\n',
  '\r',
  '$(id)',
  '`id`',
  '${HOME}',
  ';',
  '&&',
  '|',
  '>',
  '<',
  '*',
  '?',
  '~',
  '#',
  '=',
  "'",
  '"',
  '\\',
  '-',
  '--',
  '%s',
  'é',
  'İ',
  '\u00A0',
  '\u202E',
  '\uFEFF',
  '\uD83D\uDD25',
  '\uD800',
  '__proto__',
  'constructor',
] as const;

const hostilePiece: Arbitrary<string> = fc.constantFrom(...HOSTILE_PIECES);

/**
 * Strings meant to break what reads them: `../`, `/`, NUL, spaces, shell metacharacters, quotes,
 * unicode (combining, right-to-left, lone surrogates, emoji), the empty string and very long ones.
 */
export const hostileString = (): Arbitrary<string> =>
  fc.oneof(
    hostilePiece,
    fc
      .array(fc.oneof(hostilePiece, fc.string({ maxLength: 4 })), { minLength: 1, maxLength: 8 })
      .map((parts) => parts.join('')),
    fc.string({ unit: 'binary', maxLength: 24 }),
    fc.string({ unit: 'grapheme', maxLength: 24 }),
    fc.constant(''),
    fc
      .tuple(
        fc.constantFrom('a', '/', '../', '\0', '\u00E9'),
        fc.integer({ min: 257, max: 70_000 }),
      )
      .map(([piece, count]) => piece.repeat(count)),
  );

const shortHostileString: Arbitrary<string> = fc.oneof(
  hostilePiece,
  fc.string({ unit: 'binary', maxLength: 12 }),
);

/** Any JSON value (what a configuration file or an API body may hold). */
export const anyJsonValue: Arbitrary<JsonValue> = fc.jsonValue();

// Numbers at the edges of every range a schema might check.
const edgeNumber: Arbitrary<number> = fc.constantFrom(
  Number.NaN,
  Number.POSITIVE_INFINITY,
  Number.NEGATIVE_INFINITY,
  -0,
  -1,
  0,
  1,
  1.5,
  255,
  256,
  65_535,
  65_536,
  2 ** 31 - 1,
  2 ** 31,
  2 ** 32 - 1,
  2 ** 32,
  Number.MAX_SAFE_INTEGER,
  Number.MAX_SAFE_INTEGER + 2,
  Number.MAX_VALUE,
  Number.MIN_VALUE,
  -(2 ** 53),
);

/**
 * Any value a caller might pass by mistake: anything fast-check makes (boxed values, maps, sets,
 * dates, typed arrays, sparse arrays, null prototypes, bigints), hostile strings, edge numbers,
 * symbols and functions.
 */
export const garbage = (): Arbitrary<unknown> =>
  fc.oneof(
    fc.anything({
      maxDepth: 3,
      key: fc.oneof(fc.string(), hostilePiece),
      // Short strings inside: the long ones come alone, below, so that a sample stays cheap.
      values: [
        fc.boolean(),
        fc.integer(),
        fc.double(),
        shortHostileString,
        fc.constant(null),
        edgeNumber,
      ],
      withBoxedValues: true,
      withSet: true,
      withMap: true,
      withObjectString: true,
      withNullPrototype: true,
      withBigInt: true,
      withDate: true,
      withTypedArray: true,
      withSparseArray: true,
    }),
    hostileString(),
    edgeNumber,
    fc.bigInt(),
    fc.constantFrom<unknown>(
      undefined,
      null,
      true,
      false,
      Symbol('garbage'),
      () => 1,
      [],
      {},
      new Date(Number.NaN),
    ),
  );

/** A copy of `object` with `fields` set (for `.map` callbacks, which may not spread). */
export const withFields = <T extends object, U extends object>(object: T, fields: U): T & U => ({
  ...object,
  ...fields,
});

/** A valid object with one field changed: replaced by garbage, removed, or an unknown key added. */
export interface ChangedObject {
  readonly value: Record<string, unknown>;
  /** The key that was changed or added. */
  readonly field: string;
  readonly change: 'replaced' | 'removed' | 'added';
}

/**
 * Takes a valid object and changes one of its fields: replaced by `replacements` (default any
 * garbage), removed, or a new key (a misspelling, or a hostile name) added. What comes out may
 * still be valid.
 */
export const withOneFieldChanged = (
  valid: Arbitrary<Readonly<Record<string, unknown>>>,
  replacements: Arbitrary<unknown> = garbage(),
): Arbitrary<ChangedObject> =>
  valid.chain((object) => {
    const keys = Object.keys(object);
    const added = fc
      .record({
        field: fc.oneof(hostileString(), fc.constantFrom(...keys.map((key) => `${key}_`), 'extra')),
        replacement: replacements,
      })
      .filter(({ field }) => !(field in object))
      .map(({ field, replacement }): ChangedObject => ({
        value: { ...object, [field]: replacement },
        field,
        change: 'added',
      }));
    if (keys.length === 0) {
      return added;
    }
    const key = fc.constantFrom(...keys);
    return fc.oneof(
      fc
        .record({ field: key, replacement: replacements })
        .map(({ field, replacement }): ChangedObject => ({
          value: { ...object, [field]: replacement },
          field,
          change: 'replaced',
        })),
      key.map((field): ChangedObject => {
        const { [field]: _, ...rest } = object;
        return { value: rest, field, change: 'removed' };
      }),
      added,
    );
  });
