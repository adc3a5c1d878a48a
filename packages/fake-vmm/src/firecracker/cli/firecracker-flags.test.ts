// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { FIRECRACKER_FLAGS, type FlagSpec } from '@kindling/vmm-core';
import { describe, expect, it } from 'vitest';
import { FIRECRACKER_ARGUMENTS, type FirecrackerArgument } from './firecracker-flags.js';
import { parseFirecrackerArguments } from './parse-arguments.js';

// The fake keeps its own copy of the flag table for start-up speed; it must not drift from vmm-core's.

const byName = (
  left: readonly [string, ...unknown[]],
  right: readonly [string, ...unknown[]],
): number => left[0].localeCompare(right[0]);

/** What the parser needs of a vmm-core flag, in the fake's terms. */
const asArgument = (
  spec: FlagSpec,
): readonly [string, boolean, readonly string[], string | undefined] => [
  spec.flag.slice(2),
  spec.kind === 'value',
  (spec.conflictsWith ?? []).map((flag) => flag.slice(2)),
  spec.requires?.[0]?.slice(2),
];

const ownArgument = ([name, spec]: readonly [string, FirecrackerArgument]) =>
  [name, spec.takesValue, spec.forbids ?? [], spec.requires] as const;

// `--help` short-circuits the parser and is not one of its registered arguments.
const isParsed = (spec: FlagSpec): boolean => spec.flag !== '--help';

describe('FIRECRACKER_ARGUMENTS', () => {
  it('matches vmm-core: names, values, conflicts and requirements', () => {
    const own = [...FIRECRACKER_ARGUMENTS].map(ownArgument);
    const core = FIRECRACKER_FLAGS.filter(isParsed).map(asArgument);
    expect(own.toSorted(byName)).toEqual(core.toSorted(byName));
  });

  it("applies the parser's own defaults only (--level's Info is the logger's)", () => {
    const result = parseFirecrackerArguments(['--show-level']);
    expect(result).toEqual({
      kind: 'arguments',
      values: new Map([
        ['api-sock', '/run/firecracker.socket'],
        ['http-api-max-payload-size', '51200'],
        ['id', 'anonymous-instance'],
      ]),
      switches: new Set(['show-level']),
    });
  });
});
