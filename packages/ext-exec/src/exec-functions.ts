// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import type { Readable } from 'node:stream';
import type { FileStat, TransferResult } from '@kindling/exec-agent/protocol';
import type { ExecOptions, SpawnInGuestOptions } from './exec-options.js';
import type { ExecVm } from './exec-vm.js';
import type { FileCallOptions, MkdirOptions, RemoveOptions } from './file-options.js';
import type { GuestProcess } from './guest-process.js';
import type { ExecResult } from './run-exec.js';
import { sharedSession } from './shared-session.js';

/**
 * Runs `argv` in the guest to its end and resolves with `{ exitCode, signal, stdout, stderr }`
 * whatever the exit code; stdout and stderr are strings (`encoding`, default utf8) or Buffers
 * (`encoding: 'buffer'`). No shell unless `shell: true`. Rejects with `ERR_EXEC_TIMEOUT` after
 * `timeoutMs` (default 10 minutes), `ERR_EXEC_MAX_BUFFER` past `maxBuffer`, the agent's error
 * when the command cannot start (`ERR_EXEC_SPAWN`), `ERR_VM_ENDED` when the VM ends first, or the
 * signal's reason. Calls for one VM share one connection to its agent (port 10000).
 */
export function exec(
  vm: ExecVm,
  argv: readonly string[],
  options: ExecOptions & { readonly encoding: 'buffer' },
): Promise<ExecResult<Buffer>>;
export function exec(
  vm: ExecVm,
  argv: readonly string[],
  options?: ExecOptions,
): Promise<ExecResult<string>>;
export function exec(
  vm: ExecVm,
  argv: readonly string[],
  options?: ExecOptions,
): Promise<ExecResult> {
  return sharedSession(vm).exec(argv, options);
}

/**
 * Starts `argv` in the guest with Node streams: `stdin`, `stdout`, `stderr`, the `exited`
 * promise, `kill(signal)`, `resize({ cols, rows })` with a PTY; `signal` and `timeoutMs` bound it.
 */
export const spawnInGuest = (
  vm: ExecVm,
  argv: readonly string[],
  options?: SpawnInGuestOptions,
): GuestProcess => sharedSession(vm).spawn(argv, options);

/** Copies a local file or folder to the guest's `guestPath` (modes, mtimes and symlinks kept). */
export const push = (
  vm: ExecVm,
  localPath: string,
  guestPath: string,
  options?: FileCallOptions,
): Promise<TransferResult> => sharedSession(vm).push(localPath, guestPath, options);

/** Copies the guest's `guestPath` (a file or a folder) to `localPath`. */
export const pull = (
  vm: ExecVm,
  guestPath: string,
  localPath: string,
  options?: FileCallOptions,
): Promise<TransferResult> => sharedSession(vm).pull(guestPath, localPath, options);

/** Writes a tar archive (entry `.` is the path itself) to the guest's `guestPath`. */
export const pushStream = (
  vm: ExecVm,
  archive: Readable,
  guestPath: string,
  options?: FileCallOptions,
): Promise<TransferResult> => sharedSession(vm).pushStream(archive, guestPath, options);

/** The guest's `guestPath` as a stream of a tar archive (entry `.` is the path itself). */
export const pullStream = (vm: ExecVm, guestPath: string, options?: FileCallOptions): Readable =>
  sharedSession(vm).pullStream(guestPath, options);

/** Describes a guest path (a final symlink is described, not followed). */
export const stat = (vm: ExecVm, guestPath: string, options?: FileCallOptions): Promise<FileStat> =>
  sharedSession(vm).stat(guestPath, options);

/** The entries of a guest folder, sorted by name. */
export const list = (
  vm: ExecVm,
  guestPath: string,
  options?: FileCallOptions,
): Promise<readonly FileStat[]> => sharedSession(vm).list(guestPath, options);

/** Removes a guest file or link, or a folder (with `recursive`). */
export const remove = (vm: ExecVm, guestPath: string, options?: RemoveOptions): Promise<void> =>
  sharedSession(vm).remove(guestPath, options);

/** Makes a guest folder (with `recursive`, its missing parents too). */
export const mkdir = (vm: ExecVm, guestPath: string, options?: MkdirOptions): Promise<void> =>
  sharedSession(vm).mkdir(guestPath, options);
