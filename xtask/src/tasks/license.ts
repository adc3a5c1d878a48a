// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { CheckContext, CheckResult, Problem } from '../check.ts';
import { resultOf } from '../check.ts';
import { listFiles, matchesAny } from '../files.ts';

/** The header configuration, `tooling/license-header.json`. */
interface LicenseConfig {
  readonly lines: readonly string[];
  readonly include: readonly string[];
  readonly ignore: readonly string[];
}

export const LICENSE_CONFIG = 'tooling/license-header.json';
const CHECKED_DIRS = ['packages', 'examples', 'tooling', 'xtask'];

const commentPrefix = (file: string): string => (file.endsWith('.sh') ? '# ' : '// ');

const escapeRegExp = (text: string): string =>
  text.replaceAll(/[.*+?^${}()|[\]\\]/gu, String.raw`\$&`);

const lineMatcher = (prefix: string, template: string): RegExp =>
  new RegExp(
    `^${escapeRegExp(prefix + template).replace(escapeRegExp('{year}'), String.raw`\d{4}`)}$`,
    'u',
  );

/** Checks one file's text against the header; returns the first line that differs, if any. */
export const checkHeader = (
  file: string,
  text: string,
  lines: readonly string[],
): Problem | undefined => {
  const prefix = commentPrefix(file);
  const fileLines = text.split('\n');
  const offset = fileLines[0]?.startsWith('#!') === true ? 1 : 0;
  for (const [index, template] of lines.entries()) {
    const actual = fileLines[offset + index] ?? '';
    if (!lineMatcher(prefix, template).test(actual)) {
      const expected = prefix + template.replace('{year}', String(new Date().getFullYear()));
      return {
        file,
        line: offset + index + 1,
        message: `license header: expected "${expected}", found "${actual}"`,
      };
    }
  }
  return undefined;
};

/** Every source file under packages/, examples/, tooling/ and xtask/ starts with the configured header. */
export const runLicense = async (context: CheckContext): Promise<CheckResult> => {
  const config = JSON.parse(
    await readFile(path.join(context.root, LICENSE_CONFIG), 'utf8'),
  ) as LicenseConfig;
  const files = (await listFiles(context.root, CHECKED_DIRS)).filter(
    (file) => matchesAny(file, config.include) && !matchesAny(file, config.ignore),
  );
  const problems: Problem[] = [];
  for (const file of files) {
    const problem = checkHeader(
      file,
      await readFile(path.join(context.root, file), 'utf8'),
      config.lines,
    );
    if (problem !== undefined) {
      problems.push(problem);
    }
  }
  return resultOf('license', problems);
};
