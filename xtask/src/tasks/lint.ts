// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { existsSync } from 'node:fs';
import path from 'node:path';
import type { CheckContext, CheckResult, Problem } from '../check.ts';
import { runTool } from '../run-tool.ts';

const LINTED_DIRS = ['packages', 'examples', 'xtask', 'tooling'];

// oxlint's unix format: `path:line:column: message [Severity/rule]`.
const UNIX_LINE = /^(?<file>[^:\s][^:]*):(?<line>\d+):\d+: (?<message>.*)$/u;

/**
 * The clippy-like lint: oxlint with type-aware rules over every package, with clippy's
 * categories (correctness, suspicious and perf denied, pedantic warned). `strict` denies warnings.
 */
export const runLint = async (context: CheckContext): Promise<CheckResult> => {
  const dirs = LINTED_DIRS.filter((dir) => existsSync(path.join(context.root, dir)));
  const args = [
    '-c',
    path.join(context.root, '.oxlintrc.json'),
    '--type-aware',
    '--format',
    'unix',
  ];
  if (context.strict === true) {
    args.push('--deny-warnings');
  }
  const run = await runTool('oxlint', [...args, ...dirs], context.root);
  const problems: Problem[] = [];
  for (const line of run.output.split('\n')) {
    const match = UNIX_LINE.exec(line.trim());
    if (match?.groups !== undefined) {
      const { file = '', message = '' } = match.groups;
      problems.push({ file, line: Number(match.groups['line']), message });
    }
  }
  if (run.exitCode !== 0 && problems.length === 0) {
    problems.push({
      file: '.oxlintrc.json',
      message: `oxlint failed (exit ${run.exitCode}):\n${run.output}`,
    });
  }
  return { name: 'lint', ok: run.exitCode === 0, problems, output: run.output };
};
