// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import type { CheckContext, CheckResult, Problem } from '../check.ts';
import { runTool } from '../run-tool.ts';

// Prettier names each unformatted file on a `[warn] <file>` line, then prints a summary line.
const SUMMARY = /^Code style issues (found|were found)/u;

/** The formatting check over the whole repository (Prettier); `write` formats in place instead. */
export const runFmt = async (context: CheckContext): Promise<CheckResult> => {
  const mode = context.write === true ? '--write' : '--check';
  const run = await runTool('prettier', [mode, '--log-level', 'warn', '.'], context.root);
  const problems: Problem[] = [];
  for (const line of run.output.split('\n')) {
    const match = /^\[(warn|error)\] (.+)$/u.exec(line);
    const text = match?.[2];
    if (text === undefined || SUMMARY.test(text)) {
      continue;
    }
    const isError = match?.[1] === 'error';
    const file = isError ? (text.split(':')[0] ?? text) : text;
    problems.push({
      file,
      message: isError ? text : 'not formatted: run `pnpm xtask fmt --write`',
    });
  }
  if (run.exitCode !== 0 && problems.length === 0) {
    problems.push({
      file: '.prettierrc.json',
      message: `prettier failed (exit ${run.exitCode}):\n${run.output}`,
    });
  }
  return { name: 'fmt', ok: run.exitCode === 0, problems, output: run.output };
};
