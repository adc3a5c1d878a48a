// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The root of the repository, whose READMEs are read. */
export const repositoryDir = fileURLToPath(new URL('../../../..', import.meta.url));

// Packages another change is creating right now: their READMEs are checked once they land.
// Extensions and the apps server and client sit above vm, so their examples cannot resolve from
// here: each runs its own README's example in its own tests (test/readme-example*.int.test.ts).
const isCheckedElsewhere = (packageName: string): boolean =>
  packageName.startsWith('ext-') || packageName === 'server' || packageName === 'client';

/** One ```ts block of a README, as a user would copy it. */
export interface ReadmeBlock {
  /** `<readme> § <heading>`, with ` (n)` for the n-th block under one heading: what tests name. */
  readonly id: string;
  /** The README's path from the repository's root. */
  readonly readme: string;
  /** The 1-based line of the block's first line of code in the README. */
  readonly line: number;
  readonly code: string;
}

/** The READMEs whose examples are checked: the root's and every package's. */
export const listReadmes = async (): Promise<string[]> => {
  const packages = await readdir(path.join(repositoryDir, 'packages'), { withFileTypes: true });
  const readmes = await Promise.all(
    packages
      .filter((entry) => entry.isDirectory() && !isCheckedElsewhere(entry.name))
      .map(async (entry) => {
        const readme = path.join('packages', entry.name, 'README.md');
        const found = await readFile(path.join(repositoryDir, readme)).then(
          () => true,
          () => false,
        );
        return found ? [readme] : [];
      }),
  );
  return ['README.md', ...readmes.flat().toSorted()];
};

const FENCE = /^(?<indent> *)```(?<language>\S*)\s*$/u;
const HEADING = /^#{1,6} (?<title>.+)$/u;

/** Every ```ts block of a README, in order, each named by the heading it is under. */
export const readReadmeBlocks = async (readme: string): Promise<ReadmeBlock[]> => {
  const lines = (await readFile(path.join(repositoryDir, readme), 'utf8')).split('\n');
  const blocks: ReadmeBlock[] = [];
  const seen = new Map<string, number>();
  let heading = '(top)';
  for (let index = 0; index < lines.length; index += 1) {
    const line = lines[index] ?? '';
    const title = HEADING.exec(line)?.groups?.['title'];
    if (title !== undefined) {
      heading = title;
      continue;
    }
    const fence = FENCE.exec(line)?.groups;
    if (fence === undefined) {
      continue;
    }
    // Skip to the closing fence of this block, whatever its language, so that a `#` inside a
    // shell block is never read as a heading.
    const indent = fence['indent'] ?? '';
    const start = index + 1;
    let end = start;
    while (end < lines.length && (lines[end] ?? '').trimEnd() !== `${indent}\`\`\``) {
      end += 1;
    }
    index = end;
    if (fence['language'] !== 'ts') {
      continue;
    }
    const count = (seen.get(heading) ?? 0) + 1;
    seen.set(heading, count);
    blocks.push({
      id: `${readme} § ${heading}${count === 1 ? '' : ` (${count})`}`,
      readme,
      line: start + 1,
      code: `${lines
        .slice(start, end)
        .map((codeLine) => codeLine.slice(indent.length))
        .join('\n')}\n`,
    });
  }
  return blocks;
};

/** Every checked README's ```ts blocks, by id. */
export const readAllReadmeBlocks = async (): Promise<Map<string, ReadmeBlock>> => {
  const perReadme = await Promise.all((await listReadmes()).map(readReadmeBlocks));
  return new Map(perReadme.flat().map((block) => [block.id, block]));
};
