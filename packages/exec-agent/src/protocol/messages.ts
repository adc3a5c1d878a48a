// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

/** HELLO, the first frame each way on stream 0: the protocol version and the sender's package version. */
export interface HelloMessage {
  readonly protocol: number;
  /** The agent's package version (sent by the agent). */
  readonly agent?: string;
  /** The host package's version (sent by the host). */
  readonly host?: string;
}

/** A pseudo-terminal's window size, in character cells. */
export interface WindowSize {
  readonly cols: number;
  readonly rows: number;
}

/**
 * Run a command. `argv[0]` is looked up in PATH; no shell unless the caller puts one in argv
 * (`['/bin/sh', '-c', script]`). With `pty`, stdout and stderr arrive merged as STDOUT.
 */
export interface ExecRequest {
  readonly op: 'exec';
  readonly argv: readonly string[];
  /** Variables set over the agent's own environment. */
  readonly env?: Readonly<Record<string, string>>;
  /** The working directory, resolved under the agent's root; the root by default. */
  readonly cwd?: string;
  readonly uid?: number;
  readonly gid?: number;
  /** Give the command a terminal of this size. */
  readonly pty?: WindowSize;
  /** The agent kills the command (SIGKILL) after this long; EXIT then says `timedOut`. */
  readonly timeoutMs?: number;
}

/**
 * Upload: the DATA bytes up to EOF are a tar archive whose entry `.` is `path` itself (a file or
 * a folder) and whose other entries are relative to it. Written beside `path`, then renamed over
 * it, so a failed upload leaves nothing behind and a finished one replaces what was there.
 */
export interface PushRequest {
  readonly op: 'push';
  readonly path: string;
}

/** Download: answered by DATA bytes up to EOF, a tar archive laid out as a push's, then RESULT. */
export interface PullRequest {
  readonly op: 'pull';
  readonly path: string;
}

/** Describe one path without following a final symlink; answered by a `FileStat` RESULT. */
export interface StatRequest {
  readonly op: 'stat';
  readonly path: string;
}

/** A folder's entries; answered by a `ListResult` RESULT. */
export interface ListRequest {
  readonly op: 'list';
  readonly path: string;
}

/** Remove a file, link or (with `recursive`) a folder and its contents. */
export interface RemoveRequest {
  readonly op: 'remove';
  readonly path: string;
  readonly recursive?: boolean;
}

/** Make a folder (with `recursive`, its missing parents too; an existing folder is then fine). */
export interface MkdirRequest {
  readonly op: 'mkdir';
  readonly path: string;
  readonly recursive?: boolean;
  /** Permission bits, 0o755 by default (before the agent's umask). */
  readonly mode?: number;
}

/** What an OPEN frame asks for. */
export type OpenRequest =
  | ExecRequest
  | PushRequest
  | PullRequest
  | StatRequest
  | ListRequest
  | RemoveRequest
  | MkdirRequest;

/** The operations an OPEN frame names. */
export type OpenOperation = OpenRequest['op'];

/** SIGNAL: a signal for the exec's process, by name (`SIGTERM`, `SIGKILL`, `SIGINT`, …). */
export interface SignalMessage {
  readonly signal: string;
}

/** EXIT: how the exec's process ended; exactly one of `exitCode` and `signal` is set. */
export interface ExitMessage {
  readonly exitCode: number | null;
  readonly signal: string | null;
  /** The agent killed it because `timeoutMs` passed. */
  readonly timedOut: boolean;
}

/** ERROR: why a request (or, on stream 0, the connection) failed. */
export interface ErrorMessage {
  readonly code: string;
  readonly message: string;
}

/** A path's kind as stat and list report it. */
export type FileType = 'file' | 'directory' | 'symlink' | 'other';

/** RESULT of stat, and one entry of list. */
export interface FileStat {
  readonly name: string;
  readonly type: FileType;
  readonly size: number;
  /** Permission bits (`mode & 0o7777`). */
  readonly mode: number;
  readonly mtimeMs: number;
  readonly uid: number;
  readonly gid: number;
  /** Where a symlink points, as written in it. */
  readonly linkTarget?: string;
}

/** RESULT of list. */
export interface ListResult {
  readonly entries: readonly FileStat[];
}

/** RESULT of push and pull: what was moved. */
export interface TransferResult {
  readonly entries: number;
  readonly bytes: number;
}

/** RESULT of remove and mkdir. */
export type EmptyResult = Readonly<Record<string, never>>;
