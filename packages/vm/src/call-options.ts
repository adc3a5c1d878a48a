// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { checkOptionObject, checkSignal, checkTimeoutMs } from './input-checks.js';
import type { VmCallOptions } from './send-api-call.js';

/** Checks what an API method takes (`signal`, `timeoutMs`, and the `extra` keys it allows). */
export const checkCallOptions = (
  options: unknown,
  extra: readonly string[] = [],
): VmCallOptions => {
  if (options === undefined) {
    return {};
  }
  const checked = checkOptionObject(
    options,
    ['signal', 'timeoutMs', ...extra],
    'options',
    'ERR_INVALID_INPUT',
  );
  const signal = checkSignal(checked['signal'], 'options.signal');
  const timeoutMs = checkTimeoutMs(checked['timeoutMs'], 'options.timeoutMs');
  return {
    ...(signal === undefined ? {} : { signal }),
    ...(timeoutMs === undefined ? {} : { timeoutMs }),
  };
};

/** What a bounded wait runs on: the caller's signal, if any, and the timeout after defaults. */
export interface ResolvedWaitOptions {
  readonly signal?: AbortSignal | undefined;
  readonly timeoutMs: number;
}

/** Checks the `{ signal, timeoutMs }` of a wait, and applies its default timeout. */
export const checkWaitOptions = (
  options: unknown,
  defaultTimeoutMs: number,
): ResolvedWaitOptions => {
  const checked = checkOptionObject(
    options ?? {},
    ['signal', 'timeoutMs'],
    'options',
    'ERR_INVALID_INPUT',
  );
  return {
    signal: checkSignal(checked['signal'], 'options.signal'),
    timeoutMs: checkTimeoutMs(checked['timeoutMs'], 'options.timeoutMs') ?? defaultTimeoutMs,
  };
};
