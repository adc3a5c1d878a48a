// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { KindlingError, type ProcessExit } from '@kindling/spawner';

/**
 * The codes of `SnapshotEditorError`. Codes are written once and never renamed; each is listed with
 * its meaning in the root README's error table.
 */
export type SnapshotEditorErrorCode =
  // Validation: nothing was started (the same code in every layer)
  | 'ERR_INVALID_INPUT'
  // snapshot-editor exited non-zero or was killed; its stderr and exit are on the error
  | 'ERR_SNAPSHOT_EDITOR_FAILED'
  // snapshot-editor succeeded but printed something that is not what v1.16.1 prints
  | 'ERR_SNAPSHOT_EDITOR_OUTPUT'
  // snapshot-editor did not finish within `timeoutMs` and was killed
  | 'ERR_WAIT_TIMEOUT';

/** What a `SnapshotEditorError` knows about the run of `snapshot-editor` that failed. */
export interface SnapshotEditorRun {
  /** The arguments after the binary, e.g. `['info-vmstate', 'version', '--vmstate-path', …]`. */
  readonly args: readonly string[];
  /** How it ended: `{ code, signal: null }` or `{ code: null, signal }`. */
  readonly exit: ProcessExit;
  /** Everything it printed on stderr. */
  readonly stderr: string;
}

/** The error every `@kindling/ext-snapshot-editor` call throws; `code` says what failed. */
export class SnapshotEditorError<
  Code extends SnapshotEditorErrorCode = SnapshotEditorErrorCode,
> extends KindlingError<Code> {
  static {
    this.prototype.name = 'SnapshotEditorError';
  }

  /** The run that failed (for `ERR_SNAPSHOT_EDITOR_*` and `ERR_WAIT_TIMEOUT`), else `undefined`. */
  readonly run: SnapshotEditorRun | undefined;

  constructor(
    code: Code,
    message: string,
    options?: ErrorOptions & { readonly run?: SnapshotEditorRun },
  ) {
    super(code, message, options);
    this.run = options?.run;
  }

  /** The tool's exit code, or `null` when a signal ended it or it never ran. */
  get exitCode(): number | null {
    return this.run?.exit.code ?? null;
  }

  /** The tool's stderr, or `''` when it never ran. */
  get stderr(): string {
    return this.run?.stderr ?? '';
  }
}
