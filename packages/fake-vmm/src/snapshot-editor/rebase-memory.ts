// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { constants } from 'node:fs';
import { type FileHandle, open } from 'node:fs/promises';
import { editMemoryError, type EditMemoryStep } from './editor-error.js';

/** The granularity at which a diff is scanned: a guest page, and the smallest hole a file has. */
export const REBASE_BLOCK_BYTES = 4096;
const CHUNK_BYTES = 256 * REBASE_BLOCK_BYTES;
const ZERO_BLOCK = Buffer.alloc(REBASE_BLOCK_BYTES);
// st_blocks counts 512-byte units whatever the filesystem's block size.
const STAT_BLOCK_BYTES = 512;

const step = async <T>(name: EditMemoryStep, action: () => Promise<T>): Promise<T> => {
  try {
    return await action();
  } catch (error) {
    throw editMemoryError(name, error);
  }
};

const writeRun = async (base: FileHandle, data: Buffer, position: number): Promise<void> => {
  const write = (offset: number) =>
    step('SendFile', () => base.write(data, offset, data.length - offset, position + offset));
  let written = 0;
  while (written < data.length) {
    written += (await write(written)).bytesWritten;
  }
};

// Writes every run of non-zero blocks of `chunk` (read at `position`) at the same offsets of base.
const copyNonZeroRuns = async (
  base: FileHandle,
  chunk: Buffer,
  position: number,
): Promise<void> => {
  let runStart = -1;
  for (let offset = 0; offset < chunk.length; offset += REBASE_BLOCK_BYTES) {
    const block = chunk.subarray(offset, offset + REBASE_BLOCK_BYTES);
    const isData = !block.equals(ZERO_BLOCK.subarray(0, block.length));
    if (isData && runStart === -1) {
      runStart = offset;
    } else if (!isData && runStart !== -1) {
      await writeRun(base, chunk.subarray(runStart, offset), position + runStart);
      runStart = -1;
    }
  }
  if (runStart !== -1) {
    await writeRun(base, chunk.subarray(runStart), position + runStart);
  }
};

/**
 * Merges a diff memory file into its base in place, as `snapshot-editor edit-memory rebase` does.
 *
 * Upstream copies the diff's data extents, found with `lseek(SEEK_DATA/SEEK_HOLE)`, which Node
 * cannot call. The fake therefore reads the diff and copies everything when the file has no holes
 * (its allocated size covers its length), else only its non-zero 4 KiB blocks: a hole reads as
 * zeros, and the one case told apart wrongly is a block of zeros written explicitly into a sparse
 * diff, which upstream copies and the fake skips. A block map kept elsewhere could not help,
 * because rebase is given only the two memory files, exactly as upstream is.
 */
export const rebaseMemory = async (memoryPath: string, diffPath: string): Promise<void> => {
  const base = await step('OpenMemoryFile', () => open(memoryPath, constants.O_WRONLY));
  try {
    const diff = await step('OpenDiffFile', () => open(diffPath, constants.O_RDONLY));
    try {
      const stats = await step('MetadataDiff', () => diff.stat());
      const dense = stats.blocks * STAT_BLOCK_BYTES >= stats.size;
      const chunk = Buffer.alloc(CHUNK_BYTES);
      for (let position = 0; position < stats.size; position += CHUNK_BYTES) {
        const { bytesRead } = await step('SendFile', () =>
          diff.read(chunk, 0, CHUNK_BYTES, position),
        );
        const data = chunk.subarray(0, bytesRead);
        if (dense) {
          await writeRun(base, data, position);
        } else {
          await copyNonZeroRuns(base, data, position);
        }
        if (bytesRead < CHUNK_BYTES) {
          break;
        }
      }
    } finally {
      await diff.close();
    }
  } finally {
    await base.close();
  }
};
