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
    'ERR_INVALID_ARGUMENT',
  );
  const signal = checkSignal(checked['signal'], 'options.signal');
  const timeoutMs = checkTimeoutMs(checked['timeoutMs'], 'options.timeoutMs');
  return {
    ...(signal === undefined ? {} : { signal }),
    ...(timeoutMs === undefined ? {} : { timeoutMs }),
  };
};
