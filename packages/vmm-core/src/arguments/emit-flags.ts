// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import type { z } from 'zod';
import type { FlagSpec } from './flags.js';

/** A flag's value ready for argv: a switch's boolean, a value's text, a repeatable's list. */
export type FlagValue = boolean | string | readonly string[] | undefined;

const describeKind = (value: FlagValue): string =>
  Array.isArray(value) ? 'a list' : typeof value === 'boolean' ? 'a boolean' : 'text';

/**
 * Turns option values into argv in the table's order, each flag at most once (a repeatable flag
 * once per item), always as separate entries: Firecracker rejects `--flag=value`.
 */
export const emitFlags = (
  table: readonly FlagSpec[],
  values: Readonly<Record<string, FlagValue>>,
): string[] => {
  const args: string[] = [];
  for (const spec of table) {
    const value = values[spec.option];
    if (value === undefined || value === false) {
      continue;
    }
    if (spec.kind === 'switch' && value === true) {
      args.push(spec.flag);
    } else if (spec.kind === 'value' && typeof value === 'string') {
      args.push(spec.flag, value);
    } else if (spec.kind === 'repeatable' && Array.isArray(value)) {
      for (const item of value as readonly string[]) {
        args.push(spec.flag, item);
      }
    } else {
      throw new TypeError(
        `${spec.flag} is a ${spec.kind} flag and cannot take ${describeKind(value)}`,
      );
    }
  }
  return args;
};

/**
 * Adds an issue for each `conflictsWith` and `requires` rule of the table that the set options
 * break, at the path of the option that states the rule.
 */
export const checkFlagRelations = (
  table: readonly FlagSpec[],
  isSet: (option: string) => boolean,
  context: z.RefinementCtx,
  value: Readonly<Record<string, unknown>>,
): void => {
  const byFlag = new Map(table.map((spec) => [spec.flag, spec]));
  for (const spec of table) {
    if (!isSet(spec.option)) {
      continue;
    }
    for (const other of spec.conflictsWith ?? []) {
      const otherSpec = byFlag.get(other);
      // Each conflict is listed on both flags: report it once, on the first in table order.
      if (
        otherSpec !== undefined &&
        isSet(otherSpec.option) &&
        table.indexOf(otherSpec) > table.indexOf(spec)
      ) {
        context.addIssue({
          code: 'custom',
          path: [spec.option],
          input: value[spec.option],
          message: `${spec.flag} cannot be combined with ${other} (Firecracker forbids it): drop ${otherSpec.option} or ${spec.option}`,
        });
      }
    }
    for (const needed of spec.requires ?? []) {
      const neededSpec = byFlag.get(needed);
      if (neededSpec !== undefined && !isSet(neededSpec.option)) {
        context.addIssue({
          code: 'custom',
          path: [spec.option],
          input: value[spec.option],
          message: `${spec.flag} requires ${needed} (Firecracker's rule): set ${neededSpec.option} too`,
        });
      }
    }
  }
};
