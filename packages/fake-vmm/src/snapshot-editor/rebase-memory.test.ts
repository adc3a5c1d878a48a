// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { randomBytes } from 'node:crypto';
import { mkdtemp, open, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SnapshotEditorError } from './editor-error.js';
import { REBASE_BLOCK_BYTES, rebaseMemory } from './rebase-memory.js';

const B = REBASE_BLOCK_BYTES;
let dir: string;
let basePath: string;
let diffPath: string;

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'kindling-rebase-test-'));
  basePath = path.join(dir, 'base');
  diffPath = path.join(dir, 'diff');
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

// Writes blocks at their offsets and leaves `null` blocks as holes, like a diff snapshot.
const writeSparse = async (file: string, blocks: readonly (Buffer | null)[]): Promise<void> => {
  const handle = await open(file, 'w');
  try {
    for (const [index, block] of blocks.entries()) {
      if (block !== null) {
        await handle.write(block, 0, block.length, index * B);
      }
    }
    await handle.truncate(blocks.length * B);
  } finally {
    await handle.close();
  }
};

describe('rebaseMemory', () => {
  it('copies only the data blocks of a sparse diff, leaving the base under its holes', async () => {
    const base = [randomBytes(B), randomBytes(B), randomBytes(B), randomBytes(B)];
    await writeFile(basePath, Buffer.concat(base));
    const d0 = randomBytes(B);
    const d3 = randomBytes(B);
    await writeSparse(diffPath, [d0, null, null, d3]);
    expect((await stat(diffPath)).blocks * 512).toBeLessThan(4 * B);
    await rebaseMemory(basePath, diffPath);
    expect(await readFile(basePath)).toEqual(Buffer.concat([d0, base[1]!, base[2]!, d3]));
  });

  it('copies a diff without holes whole, zero blocks included', async () => {
    await writeFile(basePath, randomBytes(3 * B));
    const diff = Buffer.concat([randomBytes(B), Buffer.alloc(B), randomBytes(B)]);
    await writeFile(diffPath, diff);
    await rebaseMemory(basePath, diffPath);
    expect(await readFile(basePath)).toEqual(diff);
  });

  it('grows the base when the diff is longer, and keeps a longer base past the diff', async () => {
    const base = randomBytes(2 * B);
    await writeFile(basePath, base);
    const tail = randomBytes(B);
    await writeSparse(diffPath, [null, null, tail]);
    await rebaseMemory(basePath, diffPath);
    expect(await readFile(basePath)).toEqual(Buffer.concat([base, tail]));

    const longBase = randomBytes(4 * B);
    await writeFile(basePath, longBase);
    const head = randomBytes(B);
    await writeSparse(diffPath, [head, null]);
    await rebaseMemory(basePath, diffPath);
    expect(await readFile(basePath)).toEqual(Buffer.concat([head, longBase.subarray(B)]));
  });

  it('leaves the base unchanged for an all-hole or empty diff', async () => {
    const base = randomBytes(2 * B);
    await writeFile(basePath, base);
    await writeSparse(diffPath, [null, null]);
    await rebaseMemory(basePath, diffPath);
    await writeFile(diffPath, '');
    await rebaseMemory(basePath, diffPath);
    expect(await readFile(basePath)).toEqual(base);
  });

  it('fails as upstream does when a file cannot be opened', async () => {
    await writeFile(diffPath, 'x');
    const error = await rebaseMemory(basePath, diffPath).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(SnapshotEditorError);
    expect(error).toMatchObject({
      message:
        'Error during editing memory file: Could not open memory file: No such file or directory (os error 2)',
      debug:
        'EditMemory(OpenMemoryFile(Os { code: 2, kind: NotFound, message: "No such file or directory" }))',
    });
    await writeFile(basePath, 'x');
    await expect(rebaseMemory(basePath, path.join(dir, 'nope'))).rejects.toThrow(
      'Error during editing memory file: Could not open diff file: No such file or directory (os error 2)',
    );
  });
});
