// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import path from 'node:path';
import { VmmCoreError } from '../errors.js';
import { getDowngradeOwner } from '../ownership/ownership-model.js';
import { errorCodeOf, messageOf, pathExists } from './file-errors.js';
import type { FolderHold } from './folder-ledger.js';
import type { ResourceContext } from './resource-context.js';
import { describeResource, type Resource } from './resource.js';

/** The code a failure to put a resource in place carries. */
export type FailureCode = 'ERR_RESOURCE_CREATE' | 'ERR_RESOURCE_MOVE';

const HINTS: Readonly<Record<string, string>> = {
  EEXIST: 'something is already there: remove it or choose another path (disposal would delete it)',
  EXDEV: "the two paths are on different filesystems: use the 'copy' or 'hard-link-or-copy' method",
  EACCES: 'permission denied: check the owner and mode of the path and its parent directories',
  EPERM: 'operation not permitted: check the owner of the path, or the ownership model',
  ENOSPC: 'no space left on the device',
};

const hintFor = (error: unknown): string => {
  const codes =
    error instanceof AggregateError
      ? error.errors.map((inner) => errorCodeOf(inner))
      : [errorCodeOf(error)];
  const hints = codes.flatMap((code) => (code !== undefined && code in HINTS ? [HINTS[code]] : []));
  return hints.length === 0 ? '' : ` (${hints.join('; ')})`;
};

/**
 * The error for one failed step, with the file-system error as its cause and a hint; a
 * `VmmCoreError` (e.g. `ERR_OWNERSHIP_CHANGE`) already says what failed and goes out as it is.
 */
export const failure = (
  code: FailureCode,
  resource: Resource,
  step: string,
  error: unknown,
): VmmCoreError =>
  error instanceof VmmCoreError
    ? error
    : new VmmCoreError(
        code,
        `Could not ${step} for the ${describeResource(resource)}: ${messageOf(error)}${hintFor(error)}`,
        { cause: error },
      );

/**
 * Runs the steps after a file was put in place; when one fails (or the signal aborts), undoes the
 * placement so nothing is left behind, and rethrows (with the undo's own failure, if any).
 */
export const finishOrUndo = async (
  code: FailureCode,
  resource: Resource,
  context: ResourceContext,
  finish: () => Promise<void>,
  undo: () => Promise<void>,
): Promise<void> => {
  try {
    context.signal?.throwIfAborted();
    await finish();
    context.signal?.throwIfAborted();
  } catch (error) {
    try {
      await undo();
    } catch (undoError) {
      throw new VmmCoreError(
        code,
        `Could not finish the ${describeResource(resource)} (${messageOf(error)}), and could not ` +
          `remove what was put in place either (${messageOf(undoError)}): remove it by hand`,
        { cause: new AggregateError([error, undoError], 'finishing and undoing both failed') },
      );
    }
    throw error;
  }
};

/** Fails when something is already at `target`: disposal would delete what is not ours. */
export const ensureAbsent = async (
  code: FailureCode,
  resource: Resource,
  target: string,
): Promise<void> => {
  if (await pathExists(target)) {
    throw failure(
      code,
      resource,
      `use ${target}`,
      Object.assign(new Error(`${target} already exists`), { code: 'EEXIST' }),
    );
  }
};

/**
 * Makes and holds the folders `target` goes in through the folder ledger (`writable`: the VMM
 * makes the file itself, so the folder is handed to its user), then runs `place` with the hold.
 * When `place` fails, the hold is let go of (removing the folders no resource needs) and the error
 * rethrown, with the failure to remove them if any.
 */
export const placeInFolders = async <T>(
  code: FailureCode,
  resource: Resource,
  target: string,
  context: ResourceContext,
  writable: boolean,
  place: (folders: FolderHold) => Promise<T>,
): Promise<T> => {
  let folders: FolderHold;
  try {
    folders = await context.folders.acquire(path.dirname(target), {
      maker: context.maker,
      owner: getDowngradeOwner(context.ownership),
      writable,
    });
  } catch (error) {
    throw failure(code, resource, `make the folder of ${target}`, error);
  }
  try {
    return await place(folders);
  } catch (error) {
    try {
      await context.folders.release(folders);
    } catch (releaseError) {
      throw new VmmCoreError(
        code,
        `Could not put the ${describeResource(resource)} in place (${messageOf(error)}), and could ` +
          `not remove the folders made for it either (${messageOf(releaseError)}): remove them by hand`,
        { cause: new AggregateError([error, releaseError], 'placing and undoing both failed') },
      );
    }
    throw error;
  }
};
