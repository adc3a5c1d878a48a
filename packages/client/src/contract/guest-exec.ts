// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { z } from 'zod';

// The server validates these bodies before anything runs in the guest: a refused request runs
// nothing.

const idSchema = z.int().nonnegative().max(4_294_967_294);

/** The body of `POST /v1/vms/{id}/exec`: one command run to its end by the guest's exec agent. */
export const execRequestSchema = z.strictObject({
  /** The program, then its arguments (no shell; the program is looked up in the guest's `PATH`). */
  argv: z.array(z.string()).min(1),
  /** Variables set over the agent's environment. */
  env: z.record(z.string().min(1), z.string()).optional(),
  /** The working folder in the guest (relative to the agent's root). */
  cwd: z.string().min(1).optional(),
  /** The user id the command runs as (the agent must be root to change it). */
  uid: idSchema.optional(),
  /** The group id the command runs as. */
  gid: idSchema.optional(),
  /** Text fed to the command's stdin (closed at once when omitted). */
  stdin: z.string().optional(),
  /** Kill the command (SIGKILL) after this long: 504 `ERR_EXEC_TIMEOUT` (default 600 000). */
  timeoutMs: z.int().positive().max(86_400_000).optional(),
  /** More bytes on stdout or stderr kill the command: `ERR_EXEC_MAX_BUFFER` (default 64 MiB). */
  maxBuffer: z.int().positive().optional(),
});

/** The answer of `POST /v1/vms/{id}/exec`: how the command ended and its output, as UTF-8 text. */
export const execResultSchema = z.strictObject({
  /** Its exit code, or null when a signal ended it. */
  exitCode: z.int().nullable(),
  /** The signal that ended it (`SIGKILL`), or null when it exited. */
  signal: z.string().nullable(),
  /** Its standard output. */
  stdout: z.string(),
  /** Its standard error. */
  stderr: z.string(),
});

/**
 * What `exec` sends.
 * @interface
 */
export type ExecRequest = z.input<typeof execRequestSchema>;
/**
 * How a command ended, and its output.
 * @interface
 */
export type ExecResult = z.output<typeof execResultSchema>;
