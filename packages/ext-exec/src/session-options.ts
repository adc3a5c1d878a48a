// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { EXEC_AGENT_PORT } from '@kindling/exec-agent/protocol';
import { MAX_TIMER_MS } from '@kindling/helpers';
import { z } from 'zod';
import { parseInput } from './errors.js';

const MAX_PORT = 0xff_ff_ff_ff;
const portRule = `expected an integer from 0 to ${MAX_PORT}`;
const msRule = `expected a positive integer of milliseconds up to ${MAX_TIMER_MS}`;

const sessionOptionsSchema = z.strictObject(
  {
    /** The guest vsock port the agent listens on (default 10000, `EXEC_AGENT_PORT`). */
    port: z
      .number({ error: portRule })
      .int({ error: portRule })
      .min(0, { error: portRule })
      .max(MAX_PORT, { error: portRule })
      .default(EXEC_AGENT_PORT),
    /**
     * How long opening a connection may take (default 10 000 ms): reaching the vsock socket,
     * Firecracker's `OK`, and the agent's HELLO.
     */
    connectTimeoutMs: z
      .number({ error: msRule })
      .int({ error: msRule })
      .min(1, { error: msRule })
      .max(MAX_TIMER_MS, { error: msRule })
      .default(10_000),
  },
  {
    error: (issue) =>
      issue.code === 'unrecognized_keys' ? undefined : 'expected an options object',
  },
);

/**
 * What `openExecSession(vm, options)` takes.
 *
 * @interface
 */
export type ExecSessionOptions = z.input<typeof sessionOptionsSchema>;
/**
 * `ExecSessionOptions` after checks and defaults.
 *
 * @interface
 */
export type ResolvedExecSessionOptions = Readonly<z.output<typeof sessionOptionsSchema>>;

/** Checks a session's options and fills in the defaults. */
export const resolveSessionOptions = (
  options: ExecSessionOptions | undefined,
): ResolvedExecSessionOptions => parseInput(sessionOptionsSchema, options ?? {}, 'options');
