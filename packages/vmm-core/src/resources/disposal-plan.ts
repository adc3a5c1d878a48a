// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { lchownSync, lstatSync, renameSync, rmdirSync, rmSync, type Stats } from 'node:fs';
import { z } from 'zod';
import { absolutePathSchema } from '../ownership/absolute-path.js';
import { errorCodeOf, messageOf } from './file-errors.js';

// zod's .readonly() freezes the input before checking it, so a typed array given where an array
// belongs throws a TypeError ("Cannot freeze array buffer views") instead of an issue: freeze the
// checked copy instead, typed as .readonly() would be.
const readonlyList = <Schema extends z.ZodArray>(schema: Schema): z.ZodReadonly<Schema> =>
  schema.transform((list) => Object.freeze(list)) as unknown as z.ZodReadonly<Schema>;

const ownerSchema = z.strictObject({
  uid: z.number().int().nonnegative(),
  gid: z.number().int().nonnegative(),
});

const ownerChangeSchema = z.strictObject({ original: ownerSchema, given: ownerSchema });

/**
 * The zod schema of a `DisposalPlan`, for a plan read back from a file (a `reconcile()` record).
 */
export const disposalPlanSchema = z.strictObject({
  /** Files Kindling created or copied: removed. */
  files: readonlyList(z.array(absolutePathSchema)),
  /** Hard links Kindling made: unlinked, the owner it changed given back. */
  links: readonlyList(
    z.array(
      z.strictObject({
        path: absolutePathSchema,
        ownerChange: ownerChangeSchema
          .extend({
            linksBefore: z.number().int().nonnegative(),
            // The inode as `<dev>:<ino>`: an owner goes back only to the file Kindling linked.
            inode: z.string(),
          })
          .optional(),
      }),
    ),
  ),
  /** The user's files Kindling moved in by rename: renamed back to `home`. */
  moveBack: readonlyList(
    z.array(
      z.strictObject({
        path: absolutePathSchema,
        home: absolutePathSchema,
        ownerChange: ownerChangeSchema.optional(),
      }),
    ),
  ),
  /** Folders Kindling created: removed. */
  folders: readonlyList(z.array(absolutePathSchema)),
});

/**
 * What disposing of a resource system's resources would do, as plain data that can be written to
 * a file and carried out later, synchronously, by another process: only what Kindling put in
 * place is removed, and the user's files moved in by rename go back home.
 *
 * @interface
 */
export type DisposalPlan = z.infer<typeof disposalPlanSchema>;

/** A plan that does nothing. */
export const EMPTY_DISPOSAL_PLAN: DisposalPlan = {
  files: [],
  links: [],
  moveBack: [],
  folders: [],
};

const lstatIfPresent = (target: string): Stats | undefined => {
  try {
    return lstatSync(target);
  } catch (error) {
    if (errorCodeOf(error) === 'ENOENT') {
      return undefined;
    }
    throw error;
  }
};

const inodeOf = (target: string): string => {
  const stats = lstatSync(target, { bigint: true });
  return `${stats.dev}:${stats.ino}`;
};

const hasOwner = (stats: Stats, owner: { uid: number; gid: number }): boolean =>
  stats.uid === owner.uid && stats.gid === owner.gid;

const moveBack = (step: DisposalPlan['moveBack'][number]): boolean => {
  if (lstatIfPresent(step.path) === undefined) {
    return false;
  }
  if (lstatIfPresent(step.home) !== undefined) {
    throw new Error(`${step.home} is taken, so ${step.path} cannot be moved back: move it by hand`);
  }
  renameSync(step.path, step.home);
  const placed = lstatIfPresent(step.home);
  // Whoever changed the owner since Kindling gave it (the user, another tool) wins.
  if (
    step.ownerChange !== undefined &&
    placed !== undefined &&
    hasOwner(placed, step.ownerChange.given)
  ) {
    lchownSync(step.home, step.ownerChange.original.uid, step.ownerChange.original.gid);
  }
  return true;
};

const unlinkLink = (step: DisposalPlan['links'][number]): boolean => {
  const placed = lstatIfPresent(step.path);
  if (placed === undefined) {
    return false;
  }
  const change = step.ownerChange;
  // As the inode ledger does: the owner goes back only to the inode Kindling linked, with the
  // last of Kindling's links, while it still has the owner Kindling gave it.
  if (
    change !== undefined &&
    inodeOf(step.path) === change.inode &&
    hasOwner(placed, change.given) &&
    placed.nlink - 1 <= change.linksBefore
  ) {
    lchownSync(step.path, change.original.uid, change.original.gid);
  }
  rmSync(step.path, { force: true });
  return true;
};

const removeFolderIfEmpty = (folder: string): boolean => {
  try {
    rmdirSync(folder);
    return true;
  } catch (error) {
    const code = errorCodeOf(error);
    // Not empty: what is in it is not Kindling's, so the folder stays.
    if (code === 'ENOTEMPTY' || code === 'EEXIST' || code === 'ENOENT') {
      return false;
    }
    throw error;
  }
};

/** What carrying out a plan did: the paths it removed or moved back, and what failed. */
export interface DisposalOutcome {
  readonly removed: readonly string[];
  readonly failures: readonly Error[];
}

/**
 * Carries out a plan synchronously, for a process that is going down (or one cleaning up after
 * another that died): user's files moved in by rename go back home, Kindling's hard links go (the
 * inode's owner given back as the ledger would), created, produced and copied files are deleted,
 * then the folders made for them that are empty. A symlink is removed, never followed. Every step
 * is tried; the failures are returned, never thrown.
 */
export const carryOutDisposalPlan = (plan: DisposalPlan): DisposalOutcome => {
  const removed: string[] = [];
  const failures: Error[] = [];
  const attempt = (target: string, step: () => boolean): void => {
    try {
      if (step()) {
        removed.push(target);
      }
    } catch (error) {
      failures.push(new Error(`${target}: ${messageOf(error)}`, { cause: error }));
    }
  };
  for (const step of plan.moveBack) {
    attempt(step.path, () => moveBack(step));
  }
  for (const step of plan.links) {
    attempt(step.path, () => unlinkLink(step));
  }
  for (const file of plan.files) {
    attempt(file, () => {
      const present = lstatIfPresent(file) !== undefined;
      rmSync(file, { force: true });
      return present;
    });
  }
  for (const folder of plan.folders) {
    attempt(folder, () => removeFolderIfEmpty(folder));
  }
  return { removed, failures };
};
