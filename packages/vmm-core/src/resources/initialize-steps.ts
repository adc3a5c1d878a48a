// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { VmmCoreError } from '../errors.js';
import { errorCodeOf, messageOf, pathExists } from './file-errors.js';
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

/** The error for one failed step, with the file-system error as its cause and a hint. */
export const failure = (
  code: FailureCode,
  resource: Resource,
  step: string,
  error: unknown,
): VmmCoreError =>
  new VmmCoreError(
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

/** Makes the parent directories of `target`; resolves with the first one it made, if any. */
export const makeParent = async (
  code: FailureCode,
  resource: Resource,
  target: string,
): Promise<string | undefined> => {
  try {
    return await mkdir(path.dirname(target), { recursive: true });
  } catch (error) {
    throw failure(code, resource, `make the parent directory of ${target}`, error);
  }
};
