// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { lchown, lstat, readdir } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { VmmCoreError } from '../errors.js';
import { parseWithSchema } from '../validation.js';
import { getDowngradeOwner, ownershipModelSchema, type OwnershipModel } from './ownership-model.js';
import { absolutePathSchema } from './absolute-path.js';

/** Whether `downgradeOwner` walks into a directory. */
export interface DowngradeOwnerOptions {
  /** Default `true`; `false` changes only the path itself (e.g. a parent directory). */
  readonly recursive?: boolean;
}

const argumentsSchema = z.strictObject({
  path: absolutePathSchema,
  model: ownershipModelSchema,
  options: z
    .strictObject({
      recursive: z.boolean({ error: 'expected a boolean' }).default(true),
    })
    .default({ recursive: true }),
});

// Symbolic links are changed themselves (lchown) and never followed, so a link inside the tree
// cannot hand a file outside it to the VMM's user.
const chownTree = async (target: string, uid: number, gid: number): Promise<void> => {
  await lchown(target, uid, gid);
  if (!(await lstat(target)).isDirectory()) {
    return;
  }
  for (const entry of await readdir(target, { withFileTypes: true })) {
    await chownTree(path.join(target, entry.name), uid, gid);
  }
};

const errorCode = (error: unknown): string =>
  typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : 'error';

// Node's fs errors carry the path that failed, which may lie deep inside the tree.
const errorPath = (error: unknown, fallback: string): string =>
  typeof error === 'object' && error !== null && 'path' in error && typeof error.path === 'string'
    ? error.path
    : fallback;

/**
 * Hands a file or a tree to the VMM's user with `lchown` (recursively by default): to `uid`/`gid`
 * for `downgraded`, to the control process for `upgraded-temporarily`; the other models change
 * nothing. A failure throws `VmmCoreError` `ERR_OWNERSHIP_CHANGE` naming the path.
 */
export const downgradeOwner = async (
  target: string,
  model: OwnershipModel,
  options?: DowngradeOwnerOptions,
): Promise<void> => {
  const checked = parseWithSchema(
    argumentsSchema,
    { path: target, model, options },
    'downgradeOwner',
  );
  const owner = getDowngradeOwner(checked.model);
  if (owner === undefined) {
    return;
  }
  const { uid, gid } = owner;
  try {
    await (checked.options.recursive
      ? chownTree(checked.path, uid, gid)
      : lchown(checked.path, uid, gid));
  } catch (error) {
    const code = errorCode(error);
    const hint =
      code === 'EPERM'
        ? ': only root may give files to another user; run the control process as root or use another ownership model'
        : '';
    throw new VmmCoreError(
      'ERR_OWNERSHIP_CHANGE',
      `Could not change the owner of ${errorPath(error, checked.path)} to ${uid}:${gid} (${code})${hint}`,
      { cause: error },
    );
  }
};
