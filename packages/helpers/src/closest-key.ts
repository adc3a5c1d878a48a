// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

const normaliseKey = (key: string): string => key.toLowerCase().replaceAll(/[-_]/gu, '');

// Levenshtein distance, for typos; keys are short, so the quadratic table is cheap.
const countEdits = (from: string, to: string): number => {
  let previous = Array.from({ length: to.length + 1 }, (_, index) => index);
  // Keys are ASCII: indexing by UTF-16 unit is exact.
  for (let row = 0; row < from.length; row += 1) {
    const fromChar = from[row];
    const current = [row + 1];
    for (let column = 0; column < to.length; column += 1) {
      const toChar = to[column];
      current.push(
        Math.min(
          (previous[column + 1] ?? 0) + 1,
          (current[column] ?? 0) + 1,
          (previous[column] ?? 0) + (fromChar === toChar ? 0 : 1),
        ),
      );
    }
    previous = current;
  }
  return previous[to.length] ?? 0;
};

/**
 * The allowed key an unknown `key` most likely meant: the same key in another case or spelling
 * (`boot_source`), one that starts the other (`timeout` for `timeoutMs`), or a typo (`excutor`).
 */
export const findClosestKey = (key: string, allowed: readonly string[]): string | undefined => {
  const wanted = normaliseKey(key);
  return (
    allowed.find((candidate) => normaliseKey(candidate) === wanted) ??
    allowed.find((candidate) => {
      const known = normaliseKey(candidate);
      return (
        Math.min(known.length, wanted.length) >= 4 &&
        (known.startsWith(wanted) || wanted.startsWith(known))
      );
    }) ??
    allowed.find((candidate) => {
      const known = normaliseKey(candidate);
      // Two edits change the length by two at most: a long key (a 64 KiB one) costs nothing.
      return (
        wanted.length >= 4 &&
        Math.abs(known.length - wanted.length) <= 2 &&
        countEdits(known, wanted) <= 2
      );
    })
  );
};

/**
 * The line for an unknown key at `where` (`subject.path.key`): with the key it most likely meant,
 * else with the keys allowed there (when known).
 */
export const describeUnknownKey = (
  where: string,
  key: string,
  allowed: readonly string[] | undefined,
  aliases: Readonly<Record<string, string>> = {},
): string => {
  const meant = aliases[key] ?? (allowed === undefined ? undefined : findClosestKey(key, allowed));
  if (meant !== undefined) {
    return `${where}: unknown key; did you mean ${meant}?`;
  }
  return allowed === undefined || allowed.length === 0
    ? `${where}: unknown key`
    : `${where}: unknown key; the keys here are ${allowed.join(', ')}`;
};
