// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

/**
 * Quotes one word for a POSIX shell. Inside single quotes every character is literal (spaces,
 * `"`, `$`, backticks, `\`, newlines); a single quote itself closes, escapes and reopens: `'\''`.
 */
export const quoteShellWord = (word: string): string => `'${word.replaceAll("'", "'\\''")}'`;

/** Joins words into one POSIX shell command line that the shell splits back into exactly them. */
export const joinShellWords = (words: readonly string[]): string =>
  words.map(quoteShellWord).join(' ');
