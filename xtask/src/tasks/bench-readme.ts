// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

// `pnpm xtask bench --write-readme`: the root README's table of figures is the latest run's.

import { readFile, writeFile } from 'node:fs/promises';

export const README_TABLE_START = '<!-- bench-table:start -->';
export const README_TABLE_END = '<!-- bench-table:end -->';

/** `readme` with the text between the two markers replaced by `block`; throws without both. */
export const replaceBenchBlock = (readme: string, block: string): string => {
  const start = readme.indexOf(README_TABLE_START);
  const end = readme.indexOf(README_TABLE_END);
  if (start === -1 || end < start) {
    throw new Error(
      `the README has no "${README_TABLE_START}" … "${README_TABLE_END}" block: add both markers where the table goes`,
    );
  }
  return `${readme.slice(0, start + README_TABLE_START.length)}\n${block.trim()}\n${readme.slice(end)}`;
};

/** Replaces the block of the README at `file` with `block`. */
export const writeBenchBlock = async (file: string, block: string): Promise<void> => {
  await writeFile(file, replaceBenchBlock(await readFile(file, 'utf8'), block));
};
