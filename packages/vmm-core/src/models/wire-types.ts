// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { z } from 'zod';

// The building blocks of the Firecracker API models. Each one mirrors how serde reads a Rust type,
// and gives zod a message that states the rule, so `parseWithSchema` can print
// `subject.field: rule, got value`.

interface IssueInput {
  readonly input?: unknown;
}

/** The zod `error` option for a leaf: "is required" when absent, else what was expected. */
export const expecting = (what: string) => ({
  error: (issue: IssueInput) =>
    issue.input === undefined ? `is required: expected ${what}` : `expected ${what}`,
});

interface ObjectIssue extends IssueInput {
  readonly code?: string;
  readonly keys?: readonly string[];
}

const quoteKeys = (keys: readonly string[]): string => keys.map((key) => `"${key}"`).join(', ');

const objectError = (model: string, unknownFieldRule?: string) => ({
  error: (issue: ObjectIssue) => {
    if (issue.code === 'unrecognized_keys' && unknownFieldRule !== undefined) {
      const keys = issue.keys ?? [];
      return `unknown field${keys.length === 1 ? '' : 's'} ${quoteKeys(keys)}: ${unknownFieldRule}`;
    }
    return issue.input === undefined
      ? `is required: expected a ${model} object`
      : `expected a ${model} object`;
  },
});

/**
 * An object whose Rust struct has `#[serde(deny_unknown_fields)]`: an unknown key is an error, as
 * it is in Firecracker (`unknown field \`x\`, expected one of …`).
 */
export const denyUnknownFields = <Shape extends z.core.$ZodLooseShape>(
  model: string,
  shape: Shape,
) =>
  z.strictObject(
    shape,
    objectError(model, `Firecracker rejects unknown fields in ${model}; remove them`),
  );

/**
 * An object whose Rust struct does not deny unknown fields: Firecracker ignores unknown keys, so
 * parsing drops them instead of failing.
 */
export const ignoreUnknownFields = <Shape extends z.core.$ZodLooseShape>(
  model: string,
  shape: Shape,
) => z.object(shape, objectError(model));

/**
 * A response body Firecracker writes: unknown keys are kept, so a newer Firecracker that adds a
 * field does not break parsing.
 */
export const responseObject = <Shape extends z.core.$ZodLooseShape>(model: string, shape: Shape) =>
  z.looseObject(shape, objectError(model));

/**
 * A Rust `Option<T>` field read by serde's derive: omitted and `null` both mean `None`. Firecracker
 * writes `null` for such fields in `GET /vm/config`, so accepting it lets that document round-trip.
 */
export const serdeOption = <Inner extends z.ZodType>(inner: Inner) => inner.nullish();

/**
 * Whether a string can reach Firecracker: `JSON.stringify` writes a lone UTF-16 surrogate as
 * `\ud800`, which serde_json refuses (`unexpected end of hex escape`) with a 400.
 */
export const isWellFormedText = (text: string): boolean => text.isWellFormed();

/** The rule a string with a lone surrogate breaks. */
export const loneSurrogateRule = (what: string): string =>
  `expected ${what} without lone UTF-16 surrogates (Firecracker's JSON parser refuses them)`;

/** A JSON string; `what` describes it in the message. */
export const wireString = (what = 'a string') =>
  z.string(expecting(what)).refine(isWellFormedText, { error: loneSurrogateRule(what) });

/** A JSON boolean. */
export const wireBoolean = () => z.boolean(expecting('true or false'));

/** One of a fixed set of strings, matched exactly (serde enum variants are case-sensitive). */
export const wireEnum = <const Values extends readonly [string, ...string[]]>(values: Values) =>
  z.enum(values, expecting(`one of ${values.map((value) => JSON.stringify(value)).join(', ')}`));

/** An integer in `[min, max]`; `rule` names where the bounds come from. */
export const integerIn = (min: number, max: number, rule: string) => {
  const message = expecting(`an integer from ${min} to ${max} (${rule})`);
  return z.int(message).min(min, message).max(max, message);
};

/** A Rust `u8`. */
export const u8 = () => integerIn(0, 0xff, 'u8');
/** A Rust `u16`. */
export const u16 = () => integerIn(0, 0xff_ff, 'u16');
/** A Rust `u32`. */
export const u32 = () => integerIn(0, 0xff_ff_ff_ff, 'u32');

/**
 * A Rust `u64` or `usize`, limited to `Number.MAX_SAFE_INTEGER`: larger values cannot be written
 * exactly as a JavaScript number, so Kindling refuses them rather than send a rounded value.
 */
export const u64 = () => integerIn(0, Number.MAX_SAFE_INTEGER, 'u64 up to Number.MAX_SAFE_INTEGER');

/** Whether an optional field is really set: serde reads an omitted field and `null` alike. */
export const isSet = (value: unknown): boolean => value !== undefined && value !== null;

/** Reports a rule that ties fields together, at `path`, with the offending value as its input. */
export const addRuleIssue = (
  context: z.RefinementCtx,
  path: PropertyKey[],
  message: string,
  input: unknown,
): void => {
  context.addIssue({ code: 'custom', path, message, input });
};
