// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { checkPackage, createPackageFromTarballData } from '@arethetypeswrong/core';
import { publint } from 'publint';
import { formatMessage } from 'publint/utils';

// The packages are ESM only by design: CommonJS `require` (node16-cjs) and the pre-exports
// resolution (node10) are out of scope, as in the `esm-only` profile of @arethetypeswrong/cli.
const IGNORED_RESOLUTIONS: ReadonlySet<string> = new Set(['node10', 'node16-cjs']);

/**
 * What arethetypeswrong finds wrong with a tarball's types, in process (one TypeScript for every
 * package rather than one CLI start each): the engine and rules of `attw --profile esm-only`.
 */
export const typesProblems = async (tarball: Uint8Array): Promise<string[]> => {
  const analysis = await checkPackage(createPackageFromTarballData(tarball));
  if (!analysis.types) {
    return ['arethetypeswrong: the package ships no types'];
  }
  return analysis.problems
    .filter(
      (problem) =>
        !('resolutionKind' in problem) || !IGNORED_RESOLUTIONS.has(problem.resolutionKind),
    )
    .map((problem) => {
      // Each kind carries its own fields (entrypoint, resolution, file names): show them all.
      const { kind, ...details } = problem;
      const where = Object.entries(details)
        .filter(([, value]) => typeof value === 'string')
        .map(([key, value]) => `${key} ${String(value)}`);
      return `arethetypeswrong: ${kind} (${where.join(', ')})`;
    });
};

/** What publint (strict: warnings are errors) finds wrong with an unpacked tarball in `dir`. */
export const publintProblems = async (dir: string): Promise<string[]> => {
  // `pack: false`: the folder is an unpacked tarball, so every file in it is published.
  const { messages, pkg } = await publint({ pkgDir: dir, pack: false, strict: true });
  return messages
    .filter((message) => message.type === 'error')
    .map((message) => `publint: ${formatMessage(message, pkg) ?? message.code}`);
};
