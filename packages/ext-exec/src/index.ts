// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

/** Commands and files in a VM's guest through its exec agent, one shared connection per VM. */
export {
  exec,
  list,
  mkdir,
  pull,
  pullStream,
  push,
  pushStream,
  remove,
  spawnInGuest,
  stat,
} from './exec-functions.js';
/** A session holding one connection to a VM's exec agent across calls. */
export { ExecSession, openExecSession } from './exec-session.js';
/** What `openExecSession` takes, and the options after defaults. */
export type { ExecSessionOptions, ResolvedExecSessionOptions } from './session-options.js';
/** A command running in the guest, with Node streams. */
export { GuestProcess, type GuestExit, type PtySize } from './guest-process.js';
/** What `exec()` resolves with. */
export type { ExecResult } from './run-exec.js';
/** What `exec()` and `spawnInGuest()` take, and the options after defaults. */
export type {
  ExecOptions,
  ResolvedExecOptions,
  ResolvedSpawnInGuestOptions,
  SpawnInGuestOptions,
} from './exec-options.js';
/** What the file calls take. */
export type { FileCallOptions, MkdirOptions, RemoveOptions } from './file-options.js';
/** What `stat`, `list`, `push` and `pull` resolve with (the agent's wire shapes). */
export type { FileStat, FileType, TransferResult } from '@kindling/exec-agent/protocol';
/** The guest port the agent listens on by default, and the protocol version this host speaks. */
export { EXEC_AGENT_PORT, PROTOCOL_VERSION } from '@kindling/exec-agent/protocol';
/** What the exec extension uses of a `Vm`. */
export type { ExecVm } from './exec-vm.js';
/** The error this package raises, with a stable `code` from `ExecErrorCode`. */
export { ExecError, type ExecErrorCode } from './errors.js';
