// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { KindlingError } from '@kindling/spawner';
import { describeIoError } from '../rust/io-error.js';
import { formatRustString } from '../rust/debug-format.js';

/**
 * A failure of the fake snapshot-editor with the two lines the real one prints: the `Display` of
 * its `SnapEditorError` as `message`, and the Rust `Debug` form `main` prints as `Error: …`.
 */
export class SnapshotEditorError extends KindlingError<'ERR_SNAPSHOT_EDITOR'> {
  static {
    this.prototype.name = 'SnapshotEditorError';
  }

  /** The error as Rust's derived `Debug` prints it, e.g. `EditMemory(OpenDiffFile(Os { … }))`. */
  readonly debug: string;

  constructor(message: string, debug: string, options?: ErrorOptions) {
    super('ERR_SNAPSHOT_EDITOR', message, options);
    this.debug = debug;
  }
}

/** The `edit-memory` step that failed, by upstream `EditMemoryError` variant. */
export type EditMemoryStep =
  'OpenMemoryFile' | 'OpenDiffFile' | 'MetadataDiff' | 'SeekMemory' | 'SendFile';

const EDIT_MEMORY_TEXT: Readonly<Record<EditMemoryStep, string>> = {
  OpenMemoryFile: 'Could not open memory file',
  OpenDiffFile: 'Could not open diff file',
  MetadataDiff: 'Failed to get metadata for diff file',
  SeekMemory: 'Failed to seek in memory file',
  SendFile: 'Failed to send the file',
};

/** `SnapEditorError::EditMemory` around an I/O failure of one rebase step. */
export const editMemoryError = (step: EditMemoryStep, cause: unknown): SnapshotEditorError => {
  const io = describeIoError(cause);
  return new SnapshotEditorError(
    `Error during editing memory file: ${EDIT_MEMORY_TEXT[step]}: ${io.display}`,
    `EditMemory(${step}(${io.debug}))`,
    { cause },
  );
};

/** A `snapshot::SnapshotError`, with its Display and Debug as v1.16.1 prints them. */
export class SnapshotLoadFailure extends Error {
  readonly rustDebug: string;

  constructor(display: string, rustDebug: string, cause?: unknown) {
    super(display, cause === undefined ? undefined : { cause });
    this.name = 'SnapshotLoadFailure';
    this.rustDebug = rustDebug;
  }
}

/** The `info-vmstate` step that failed, by upstream `UtilsError` variant. */
export type VmStateStep = 'VmStateFileOpen' | 'VmStateFileMeta' | 'VmStateLoad';

/** `SnapEditorError::InfoVmState(Utils(…))` around an I/O failure or a load error. */
export const infoVmStateError = (step: VmStateStep, cause: unknown): SnapshotEditorError => {
  if (step === 'VmStateLoad') {
    const reason = cause instanceof Error ? cause.message : String(cause);
    const debug = cause instanceof SnapshotLoadFailure ? cause.rustDebug : formatRustString(reason);
    return new SnapshotEditorError(
      `Error during getting info from a vmstate file: Can not load snapshot: ${reason}`,
      `InfoVmState(Utils(VmStateLoad(${debug})))`,
      { cause },
    );
  }
  const io = describeIoError(cause);
  const text =
    step === 'VmStateFileOpen'
      ? 'Can not open snapshot file'
      : 'Can not retrieve metadata for snapshot file';
  return new SnapshotEditorError(
    `Error during getting info from a vmstate file: ${text}: ${io.display}`,
    `InfoVmState(Utils(${step}(${io.debug})))`,
    { cause },
  );
};
