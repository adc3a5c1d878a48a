// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

/** One violation: the file it is in (relative to the repository root) and what is wrong. */
export interface Problem {
  readonly file: string;
  readonly line?: number;
  readonly message: string;
}

/** What a check found; `output` carries a wrapped tool's own report when it has one. */
export interface CheckResult {
  readonly name: string;
  readonly ok: boolean;
  readonly problems: readonly Problem[];
  readonly output?: string;
}

/** Where a check runs: the repository root, and the flags the user gave. */
export interface CheckContext {
  readonly root: string;
  readonly strict?: boolean;
  readonly write?: boolean;
}

export const formatProblem = (problem: Problem): string =>
  `${problem.file}${problem.line === undefined ? '' : `:${problem.line}`}: ${problem.message}`;

export const resultOf = (name: string, problems: readonly Problem[]): CheckResult => ({
  name,
  ok: problems.length === 0,
  problems,
});
