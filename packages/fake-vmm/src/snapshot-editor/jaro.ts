// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

/** The Jaro similarity of two strings (0 to 1), as `strsim::jaro` computes it for clap's tips. */
export const jaroSimilarity = (left: string, right: string): number => {
  const a = Array.from(left);
  const b = Array.from(right);
  if (a.length === 0 && b.length === 0) {
    return 1;
  }
  if (a.length === 0 || b.length === 0) {
    return 0;
  }
  const window = Math.max(0, Math.floor(Math.max(a.length, b.length) / 2) - 1);
  const aMatched = Array.from({ length: a.length }, () => false);
  const bMatched = Array.from({ length: b.length }, () => false);
  let matches = 0;
  for (const [i, char] of a.entries()) {
    const from = Math.max(0, i - window);
    const to = Math.min(b.length - 1, i + window);
    for (let j = from; j <= to; j += 1) {
      if (!bMatched[j] && b[j] === char) {
        aMatched[i] = true;
        bMatched[j] = true;
        matches += 1;
        break;
      }
    }
  }
  if (matches === 0) {
    return 0;
  }
  let transpositions = 0;
  let k = 0;
  for (const [i, char] of a.entries()) {
    if (aMatched[i]) {
      while (!bMatched[k]) {
        k += 1;
      }
      if (char !== b[k]) {
        transpositions += 1;
      }
      k += 1;
    }
  }
  const m = matches;
  return (m / a.length + m / b.length + (m - transpositions / 2) / m) / 3;
};

/** The candidate clap would suggest for a mistyped name (similarity above 0.7), if any. */
export const suggestSimilar = (
  typed: string,
  candidates: readonly string[],
): string | undefined => {
  let best: { name: string; score: number } | undefined;
  for (const name of candidates) {
    const score = jaroSimilarity(typed, name);
    if (score > 0.7 && (best === undefined || score > best.score)) {
      best = { name, score };
    }
  }
  return best?.name;
};
