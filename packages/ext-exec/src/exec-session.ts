// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import type { Readable } from 'node:stream';
import type { FileStat, TransferResult } from '@kindling/exec-agent/protocol';
import type { ExecOptions, SpawnInGuestOptions } from './exec-options.js';
import type { ExecVm } from './exec-vm.js';
import {
  listGuestFolder,
  makeGuestFolder,
  removeGuestPath,
  statGuestPath,
  type FileCallOptions,
  type MkdirOptions,
  type RemoveOptions,
} from './file-operations.js';
import {
  pullFromGuest,
  pullStreamFromGuest,
  pushStreamToGuest,
  pushToGuest,
} from './file-transfer.js';
import { GuestProcess } from './guest-process.js';
import { runExec, type ExecResult } from './run-exec.js';
import { SessionLink } from './session-link.js';
import { resolveSessionOptions, type ExecSessionOptions } from './session-options.js';

/**
 * One connection to a VM's exec agent, held across calls: every call is a stream of it, so
 * concurrent calls share it. When the connection closes under the VM (a snapshot resets vsock,
 * the agent restarts) the next call opens a new one; calls in flight on the closed one fail with
 * `ERR_EXEC_CONNECTION_CLOSED`, or `ERR_VM_ENDED` when the VM ended. `close()` (or `await using`)
 * closes it.
 */
export class ExecSession implements AsyncDisposable {
  readonly #link: SessionLink;
  readonly #port: number;

  /** Use `openExecSession(vm, options)`. */
  constructor(vm: ExecVm, options?: ExecSessionOptions) {
    const resolved = resolveSessionOptions(options);
    this.#port = resolved.port;
    this.#link = new SessionLink(vm, resolved);
  }

  /** The guest vsock port the session's agent listens on. */
  get port(): number {
    return this.#port;
  }

  /** Runs a command and collects its output (Buffers with `encoding: 'buffer'`); see `exec()`. */
  exec(
    argv: readonly string[],
    options: ExecOptions & { readonly encoding: 'buffer' },
  ): Promise<ExecResult<Buffer>>;
  /** Runs a command and collects its output as strings; see `exec()`. */
  exec(argv: readonly string[], options?: ExecOptions): Promise<ExecResult<string>>;
  exec(argv: readonly string[], options?: ExecOptions): Promise<ExecResult> {
    return runExec(this.#link, argv, options);
  }

  /** Starts a command whose stdin, stdout and stderr are streams; see `spawnInGuest()`. */
  spawn(argv: readonly string[], options?: SpawnInGuestOptions): GuestProcess {
    return new GuestProcess(this.#link, argv, options);
  }

  /** Copies a local file or folder to `guestPath`; see `push()`. */
  push(localPath: string, guestPath: string, options?: FileCallOptions): Promise<TransferResult> {
    return pushToGuest(this.#link, localPath, guestPath, options);
  }

  /** Copies the guest's `guestPath` to a local file or folder; see `pull()`. */
  pull(guestPath: string, localPath: string, options?: FileCallOptions): Promise<TransferResult> {
    return pullFromGuest(this.#link, guestPath, localPath, options);
  }

  /** Writes a tar archive (entry `.` is the path itself) to `guestPath`; see `pushStream()`. */
  pushStream(
    archive: Readable,
    guestPath: string,
    options?: FileCallOptions,
  ): Promise<TransferResult> {
    return pushStreamToGuest(this.#link, archive, guestPath, options);
  }

  /** The guest's `guestPath` as a tar archive stream; see `pullStream()`. */
  pullStream(guestPath: string, options?: FileCallOptions): Readable {
    return pullStreamFromGuest(this.#link, guestPath, options);
  }

  /** Describes a guest path (a final symlink is described, not followed). */
  stat(guestPath: string, options?: FileCallOptions): Promise<FileStat> {
    return statGuestPath(this.#link, guestPath, options);
  }

  /** The entries of a guest folder. */
  list(guestPath: string, options?: FileCallOptions): Promise<readonly FileStat[]> {
    return listGuestFolder(this.#link, guestPath, options);
  }

  /** Removes a guest file or link, or a folder (with `recursive`). */
  remove(guestPath: string, options?: RemoveOptions): Promise<void> {
    return removeGuestPath(this.#link, guestPath, options);
  }

  /** Makes a guest folder (with `recursive`, its parents too). */
  mkdir(guestPath: string, options?: MkdirOptions): Promise<void> {
    return makeGuestFolder(this.#link, guestPath, options);
  }

  /** Closes the connection: calls in flight fail, their commands are killed by the agent. */
  close(): Promise<void> {
    this.#link.close();
    // Nothing to wait for: the agent kills the connection's commands on its own.
    return Promise.resolve();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }
}

/**
 * Opens a session holding one connection to the VM's exec agent across calls (the connection is
 * made at the first call). Options: `port` (default 10000) and `connectTimeoutMs` (default 10 000).
 */
export const openExecSession = (vm: ExecVm, options?: ExecSessionOptions): ExecSession =>
  new ExecSession(vm, options);
