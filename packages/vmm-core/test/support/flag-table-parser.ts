// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { LOGGER_LEVELS } from '../../src/models/logger.js';
import type { FlagSpec } from '../../src/arguments/flags.js';

/** An argv read back by its flag table: a switch is `true`, a repeatable flag a list. */
export type ReadFlags = Record<string, string | true | string[]>;

const DECIMAL = /^(0|[1-9]\d*)$/u;

const checkValue = (spec: FlagSpec, value: string): void => {
  if (value === '' || value.includes('\0') || value.startsWith('--')) {
    throw new Error(`${spec.flag} ${JSON.stringify(value)}: the parser cannot read this value`);
  }
  const numeric = spec.valueType === 'u32' || spec.valueType === 'u64';
  const limit = spec.valueType === 'u32' ? 2n ** 32n : 2n ** 64n;
  if (numeric && (!DECIMAL.test(value) || BigInt(value) >= limit)) {
    throw new Error(`${spec.flag} ${JSON.stringify(value)}: not a ${spec.valueType}`);
  }
  if (spec.valueType === 'level' && !(LOGGER_LEVELS as readonly string[]).includes(value)) {
    throw new Error(`${spec.flag} ${JSON.stringify(value)}: not a level`);
  }
  if (spec.valueType === 'key-value' && !value.includes('=')) {
    throw new Error(`${spec.flag} ${JSON.stringify(value)}: not key=value`);
  }
};

const checkRelations = (table: readonly FlagSpec[], read: ReadFlags): void => {
  for (const spec of table) {
    if (spec.required === true && !(spec.option in read)) {
      throw new Error(`${spec.flag} is required`);
    }
    if (!(spec.option in read)) {
      continue;
    }
    for (const flag of spec.conflictsWith ?? []) {
      const other = table.find((candidate) => candidate.flag === flag);
      if (other !== undefined && other.option in read) {
        throw new Error(`${spec.flag} conflicts with ${flag}`);
      }
    }
    for (const flag of spec.requires ?? []) {
      const other = table.find((candidate) => candidate.flag === flag);
      if (other !== undefined && !(other.option in read)) {
        throw new Error(`${spec.flag} requires ${flag}`);
      }
    }
  }
};

/**
 * Reads an argv as Firecracker's and the jailer's argument parser would, by the flag table: every
 * entry a known flag, a value flag followed by its value, no flag twice unless repeatable, the
 * values of their type, the table's conflicts and requirements kept. Throws at the first breach.
 * Stops at `--` (the jailer's separator); `rest` is what follows it.
 */
export const readArgsByTable = (
  table: readonly FlagSpec[],
  argv: readonly string[],
): { flags: ReadFlags; rest: string[] | undefined } => {
  const flags: ReadFlags = {};
  let index = 0;
  while (index < argv.length) {
    const token = argv[index] ?? '';
    if (token === '--') {
      checkRelations(table, flags);
      return { flags, rest: argv.slice(index + 1) };
    }
    const spec = table.find((candidate) => candidate.flag === token);
    if (spec === undefined) {
      throw new Error(`${JSON.stringify(token)} is not a flag of the table`);
    }
    if (spec.kind !== 'repeatable' && spec.option in flags) {
      throw new Error(`${spec.flag} given twice`);
    }
    if (spec.kind === 'switch') {
      flags[spec.option] = true;
      index += 1;
      continue;
    }
    const value = argv[index + 1];
    if (value === undefined) {
      throw new Error(`${spec.flag} has no value`);
    }
    checkValue(spec, value);
    const previous = flags[spec.option];
    flags[spec.option] =
      spec.kind === 'repeatable' ? [...(Array.isArray(previous) ? previous : []), value] : value;
    index += 2;
  }
  checkRelations(table, flags);
  return { flags, rest: undefined };
};

/**
 * What `readArgsByTable` should read for plain option values: a `true` switch, a value as text;
 * `false` and `undefined` give no flag.
 */
export const expectedFlagsOf = (options: Readonly<Record<string, unknown>>): ReadFlags =>
  Object.fromEntries(
    Object.entries(options)
      .filter(([, value]) => value !== undefined && value !== false)
      .map(([option, value]) => [option, value === true ? true : String(value)]),
  );

/** What `readArgsByTable` should read for the jailer's `cgroups` record: one `file=value` each. */
export const expectedCgroupFlags = (
  cgroups: Readonly<Record<string, unknown>> | undefined,
): ReadFlags => {
  const entries = Object.entries(cgroups ?? {});
  return entries.length === 0
    ? {}
    : { cgroups: entries.map(([file, value]) => `${file}=${String(value)}`) };
};
