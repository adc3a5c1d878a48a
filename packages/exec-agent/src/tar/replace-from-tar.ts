// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { randomBytes } from 'node:crypto';
import { mkdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { extractTar, type ExtractSummary } from './extract-tar.js';

const siblingOf = (target: string, role: string): string =>
  path.join(
    path.dirname(target),
    `.${path.basename(target)}.kindling-${role}-${randomBytes(6).toString('hex')}`,
  );

const isMissing = (error: unknown): boolean => (error as NodeJS.ErrnoException).code === 'ENOENT';

/**
 * Extracts a tar archive (laid out as push and pull send it) to `target`, all or nothing: into a
 * temporary sibling first, renamed over `target` at the end, so a failure leaves nothing behind
 * and success replaces whatever was at `target` (a file, a link or a whole folder). Missing
 * parents are created.
 */
export const replaceFromTar = async (
  source: AsyncIterable<Uint8Array>,
  target: string,
): Promise<ExtractSummary> => {
  await mkdir(path.dirname(target), { recursive: true });
  const staged = siblingOf(target, 'incoming');
  let summary: ExtractSummary;
  try {
    summary = await extractTar(source, staged);
  } catch (error) {
    await rm(staged, { recursive: true, force: true });
    throw error;
  }
  const previous = siblingOf(target, 'previous');
  let moved = false;
  try {
    await rename(target, previous);
    moved = true;
  } catch (error) {
    if (!isMissing(error)) {
      await rm(staged, { recursive: true, force: true });
      throw error;
    }
  }
  try {
    await rename(staged, target);
  } catch (error) {
    await rm(staged, { recursive: true, force: true });
    if (moved) {
      await rename(previous, target);
    }
    throw error;
  }
  if (moved) {
    await rm(previous, { recursive: true, force: true });
  }
  return summary;
};
