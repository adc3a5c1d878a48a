// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { lstat } from 'node:fs/promises';

/** The `code` of a Node.js system error (`ENOENT`, `EXDEV`, …), if it has one. */
export const errorCodeOf = (error: unknown): string | undefined =>
  typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string'
    ? error.code
    : undefined;

/** An error's message for another message: its own text, or the value as text. */
export const messageOf = (error: unknown): string =>
  error instanceof Error ? error.message : String(error);

/** Whether anything (a file, a FIFO, a dangling link) exists at a path; other errors throw. */
export const pathExists = async (target: string): Promise<boolean> => {
  try {
    await lstat(target);
    return true;
  } catch (error) {
    if (errorCodeOf(error) === 'ENOENT') {
      return false;
    }
    throw error;
  }
};
