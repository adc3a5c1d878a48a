// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import type { CheckContext, CheckResult } from '../check.ts';
import { runFmt } from './fmt.ts';
import { runLicense } from './license.ts';
import { runLint } from './lint.ts';
import { runStyle } from './style.ts';

/** The checks prepush runs, in order; lint runs strict (warnings fail). */
export const PREPUSH_CHECKS = [
  (context: CheckContext) => runLint({ ...context, strict: true }),
  (context: CheckContext) => runFmt({ ...context, write: false }),
  runLicense,
  runStyle,
] as const;

/** Runs every prepush check in turn, reporting each as it finishes; never stops at the first failure. */
export const runPrepush = async (
  context: CheckContext,
  onResult: (result: CheckResult) => void,
): Promise<CheckResult[]> => {
  const results: CheckResult[] = [];
  for (const check of PREPUSH_CHECKS) {
    const result = await check(context);
    onResult(result);
    results.push(result);
  }
  return results;
};
