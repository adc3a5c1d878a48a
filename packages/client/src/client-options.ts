// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { createInputParser, MAX_TIMER_MS } from '@kindling/helpers';
import { z } from 'zod';
import { ClientError } from './errors.js';

/** How long a call may take when neither the client nor the call sets a timeout. */
export const DEFAULT_CLIENT_TIMEOUT_MS = 30_000;

const timeoutSchema = z
  .number()
  .int()
  .positive()
  .max(MAX_TIMER_MS, `expected at most ${MAX_TIMER_MS} ms`);

const clientOptionsSchema = z.strictObject({
  /** The server: its Unix socket path (`unix:/run/kindling.sock` or a path), or `http(s)://host:port`. */
  server: z.string(),
  /** The bearer token a TCP listener asks for (`--token-file` of `kindling serve`). */
  token: z.string().min(1, 'expected a non-empty token').optional(),
  /** Certificates to trust (PEM) for an `https://` server whose certificate no public CA signed. */
  ca: z.union([z.string(), z.instanceof(Uint8Array)]).optional(),
  /** The timeout of each call unless the call sets its own. */
  timeoutMs: timeoutSchema.default(DEFAULT_CLIENT_TIMEOUT_MS),
  /** At most this many connections to the server at once (calls beyond it queue). */
  connections: z.number().int().min(1).max(1024).default(32),
});

const callOptionsSchema = z.strictObject({
  /** Cancels the call: it rejects with the signal's reason. */
  signal: z.instanceof(AbortSignal).optional(),
  /** How long the call may take in all, in milliseconds (default: the client's `timeoutMs`). */
  timeoutMs: timeoutSchema.optional(),
});

/**
 * What `new KindlingClient()` takes.
 * @interface
 */
export type KindlingClientOptions = z.input<typeof clientOptionsSchema>;
/**
 * The client's options once defaults are applied.
 * @interface
 */
export type ResolvedKindlingClientOptions = z.output<typeof clientOptionsSchema>;
/**
 * What every call takes: a signal to cancel it, and its own timeout (default: the client's).
 * @interface
 */
export type CallOptions = z.input<typeof callOptionsSchema>;

const parse = createInputParser(
  (message, options) => new ClientError('ERR_INVALID_INPUT', message, options),
);

/** Applies the defaults to the client's options, or `ERR_INVALID_INPUT` naming the bad one. */
export const resolveClientOptions = (options: unknown): ResolvedKindlingClientOptions =>
  parse(clientOptionsSchema, options, 'options');

/** Checks a call's options, or `ERR_INVALID_INPUT` naming the bad one. */
export const resolveCallOptions = (options: unknown): z.output<typeof callOptionsSchema> =>
  parse(callOptionsSchema, options ?? {}, 'options');

/** What `events()` takes: one VM's events only, and the call's options. */
export interface EventsOptions extends CallOptions {
  /** Only this VM's events (`GET /v1/vms/{id}/events`); all VMs' when omitted. */
  readonly vmId?: string;
}
