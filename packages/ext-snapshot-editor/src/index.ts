// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

/** Firecracker's snapshot-editor, typed: rebase a diff snapshot, read a state file as data. */
export {
  SnapshotEditor,
  type RebaseMemoryOptions,
  type RebaseSnapshotOptions,
  type SnapshotEditorOptions,
  type VmStateOptions,
} from './snapshot-editor.js';
/** What every call takes beyond its own fields: a signal and a timeout. */
export type { EditorCallOptions } from './options.js';
/** What `readVersion()` and `readVcpuStates()` return. */
export type { VcpuStateReport, VmStateVersion } from './info-output.js';
/** A value Rust's `Debug` printed, as data, and the parser that reads one. */
export {
  RustDebugSyntaxError,
  parseRustDebug,
  type RustMap,
  type RustStruct,
  type RustValue,
} from './rust-debug.js';
/** The error every call throws, with a stable `code` from `SnapshotEditorErrorCode`. */
export {
  SnapshotEditorError,
  type SnapshotEditorErrorCode,
  type SnapshotEditorRun,
} from './errors.js';
