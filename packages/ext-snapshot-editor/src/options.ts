// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import path from 'node:path';
import { createInputParser } from '@kindling/helpers';
import type { ProcessSpawner } from '@kindling/spawner';
import type { VmSnapshot } from '@kindling/vm';
import { z } from 'zod';
import { SnapshotEditorError } from './errors.js';

/** Parses a value with a schema, or throws `SnapshotEditorError` `ERR_INVALID_INPUT`. */
export const parseOptions = createInputParser(
  (message, options) => new SnapshotEditorError('ERR_INVALID_INPUT', message, options),
);

/** The default bound of one run of `snapshot-editor`: a rebase copies a whole diff. */
export const DEFAULT_TIMEOUT_MS = 60_000;

const filePathSchema = z
  .string()
  .min(1, { error: 'must be a path to a file' })
  .refine((value) => !value.includes('\0'), { error: 'may not contain a NUL character' })
  .transform((value) => path.resolve(value));

const spawnerSchema = z.custom<ProcessSpawner>(
  (value) =>
    typeof value === 'object' &&
    value !== null &&
    typeof (value as Partial<ProcessSpawner>).spawn === 'function',
  { error: 'must be a ProcessSpawner (an object with a spawn method)' },
);

const timeoutSchema = z.number().int().positive().max(2_147_483_647);

// Not strict: a `VmmInstallation` has other paths, of no use here.
const installationSchema = z.object({ snapshotEditorPath: filePathSchema });

/** What `new SnapshotEditor()` takes. */
export const editorOptionsSchema = z
  .strictObject({
    /** A `VmmInstallation` (or any object with `snapshotEditorPath`): runs its snapshot-editor. */
    installation: installationSchema.optional(),
    /** The `snapshot-editor` binary itself, instead of `installation`. */
    binaryPath: filePathSchema.optional(),
    spawner: spawnerSchema.optional(),
    timeoutMs: timeoutSchema.default(DEFAULT_TIMEOUT_MS),
  })
  .refine((value) => (value.installation === undefined) !== (value.binaryPath === undefined), {
    error: 'give exactly one of installation and binaryPath',
  });

/** How every call can be bounded: a caller's signal and a timeout (default: the editor's). */
const callShape = {
  signal: z.instanceof(AbortSignal, { error: 'must be an AbortSignal' }).optional(),
  timeoutMs: timeoutSchema.optional(),
};

export const rebaseMemoryOptionsSchema = z
  .strictObject({ memoryPath: filePathSchema, diffPath: filePathSchema, ...callShape })
  .refine((value) => value.memoryPath !== value.diffPath, {
    error: 'diffPath must be another file than memoryPath',
    path: ['diffPath'],
  });

const snapshotSchema = z.custom<VmSnapshot>(
  (value) =>
    typeof value === 'object' &&
    value !== null &&
    typeof (value as Partial<VmSnapshot>).memPath === 'string' &&
    typeof (value as Partial<VmSnapshot>).snapshotPath === 'string',
  { error: 'must be a VmSnapshot (from vm.createSnapshot() or snapshot.copy())' },
);

export const rebaseSnapshotOptionsSchema = z
  .strictObject({
    base: snapshotSchema,
    diff: snapshotSchema.refine((snapshot) => snapshot.type === 'Diff', {
      error: "must be a 'Diff' snapshot (vm.createSnapshot({ type: 'Diff' }))",
    }),
    ...callShape,
  })
  .refine((value) => value.base.memPath !== value.diff.memPath, {
    error: "diff must have its own memory file, not the base's",
    path: ['diff', 'memPath'],
  });

export const vmStateOptionsSchema = z.strictObject({ vmstatePath: filePathSchema, ...callShape });

/** The bounds of one call: its own `signal`, and a `timeoutMs` that defaults to the editor's. */
export interface EditorCallOptions {
  readonly signal?: AbortSignal | undefined;
  /** Kills the run after this many milliseconds (`ERR_WAIT_TIMEOUT`); default: the editor's. */
  readonly timeoutMs?: number | undefined;
}
