// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

// The one rule every input property checks: an input is parsed, or refused with the layer's own
// `ERR_INVALID_INPUT` error naming the field. Anything else (a TypeError, a ZodError, a RangeError
// escaping, another code, a message without the field) is a bug, reported with the input.

import { describeValue } from '../describe-value.js';

const kKindlingError = Symbol.for('kindling.error');

/** What a refusal must look like. */
export interface RefusalRule {
  /** The layer's error class (`VmmCoreError`, `SpawnError`, …): a refusal is an instance of it. */
  // oxlint-disable-next-line typescript/no-explicit-any -- any error class, whatever its constructor takes
  readonly errorClass: abstract new (...args: any[]) => Error;
  /** The name every refusal's message must contain: the subject or field path (`machineConfig`). */
  readonly names: string | readonly string[];
  /** The code of a refusal (default `ERR_INVALID_INPUT`), or the codes it may have. */
  readonly code?: string | readonly string[];
}

/** How an action ended: with a value, or refused with the layer's error. */
export type ParseOutcome<T> =
  { readonly parsed: true; readonly value: T } | { readonly parsed: false; readonly error: Error };

const describeEscape = (error: unknown, rule: RefusalRule): string | undefined => {
  const names = typeof rule.names === 'string' ? [rule.names] : rule.names;
  const codes = typeof rule.code === 'string' ? [rule.code] : (rule.code ?? ['ERR_INVALID_INPUT']);
  if (!(error instanceof rule.errorClass)) {
    return `expected a ${rule.errorClass.name}, but ${describeValue(error)} escaped: ${String(error)}`;
  }
  if (!(kKindlingError in error)) {
    return `${error.name} is not a KindlingError`;
  }
  if (!codes.includes(String((error as { readonly code?: unknown }).code))) {
    return `expected code ${codes.join(' or ')}, got ${String((error as { readonly code?: unknown }).code)}: ${error.message}`;
  }
  if (!names.some((name) => error.message.includes(name))) {
    return `the message does not name ${names.join(' or ')}: ${error.message}`;
  }
  return undefined;
};

const refusalOf = (error: unknown, rule: RefusalRule): Error => {
  const problem = describeEscape(error, rule);
  if (problem !== undefined) {
    throw new Error(problem, { cause: error });
  }
  return error as Error;
};

/**
 * Runs `action`: returns its value, or the refusal it threw when that is the layer's error with
 * code `ERR_INVALID_INPUT` naming `rule.names`; throws (failing the property) for anything else.
 */
export const checkParsedOrRefused = <T>(action: () => T, rule: RefusalRule): ParseOutcome<T> => {
  try {
    return { parsed: true, value: action() };
  } catch (error) {
    return { parsed: false, error: refusalOf(error, rule) };
  }
};

/** `checkParsedOrRefused` for an action that returns a promise. */
export const checkParsedOrRefusedAsync = async <T>(
  action: () => Promise<T>,
  rule: RefusalRule,
): Promise<ParseOutcome<T>> => {
  try {
    return { parsed: true, value: await action() };
  } catch (error) {
    return { parsed: false, error: refusalOf(error, rule) };
  }
};

/** Runs `check` on the value of a parsed outcome; a refusal passes. Returns the outcome. */
export const whenParsed = <T>(
  outcome: ParseOutcome<T>,
  check: (value: T) => void,
): ParseOutcome<T> => {
  if (outcome.parsed) {
    check(outcome.value);
  }
  return outcome;
};

/** Awaits `work` on the value of a parsed outcome (to close what it opened); a refusal passes. */
export const whenParsedAsync = async <T>(
  outcome: ParseOutcome<T>,
  work: (value: T) => Promise<unknown>,
): Promise<void> => {
  if (outcome.parsed) {
    await work(outcome.value);
  }
};

/** Fails unless `action` refuses (the layer's `ERR_INVALID_INPUT` naming `rule.names`). */
export const checkRefused = (action: () => unknown, rule: RefusalRule): Error => {
  const outcome = checkParsedOrRefused(action, rule);
  if (outcome.parsed) {
    throw new Error(
      `expected a refusal naming ${String(rule.names)}, but it parsed into ${describeValue(outcome.value)}`,
    );
  }
  return outcome.error;
};
