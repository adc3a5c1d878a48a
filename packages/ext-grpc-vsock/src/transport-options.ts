// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import type { Interceptor } from '@connectrpc/connect';
import { createInputParser, MAX_TIMER_MS } from '@kindling/helpers';
import { z } from 'zod';
import { GrpcVsockError } from './errors.js';

// zod's .readonly() freezes the input before checking it, so a typed array given where an array
// belongs throws a TypeError ("Cannot freeze array buffer views") instead of an issue: freeze the
// checked copy instead, typed as .readonly() would be.
const readonlyList = <Schema extends z.ZodArray>(schema: Schema): z.ZodReadonly<Schema> =>
  schema.transform((list) => Object.freeze(list)) as unknown as z.ZodReadonly<Schema>;

/** What `createGrpcVsockTransport()` takes besides the VM and the guest port. */
export interface GrpcVsockTransportOptions {
  /**
   * How long opening a connection (the vsock handshake) may take before the calls waiting on it
   * fail with `UNAVAILABLE` (default 10 000 ms). A call's own deadline still applies.
   */
  readonly connectTimeoutMs?: number;
  /** The deadline of a call that sets no `timeoutMs` of its own (default: none). */
  readonly defaultTimeoutMs?: number;
  /** Connect interceptors, run around every call (metadata, logging, retries). */
  readonly interceptors?: readonly Interceptor[];
}

const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;

const durationMs = z
  .number({ error: 'expected a number of milliseconds' })
  .int('expected an integer number of milliseconds')
  .positive('expected a positive number of milliseconds')
  .max(MAX_TIMER_MS, `expected at most ${MAX_TIMER_MS} ms`);

const interceptorSchema = z.custom<Interceptor>((value) => typeof value === 'function', {
  error: 'expected an interceptor function',
});

const optionsSchema = z.strictObject({
  connectTimeoutMs: durationMs.or(z.literal(Infinity)).default(DEFAULT_CONNECT_TIMEOUT_MS),
  defaultTimeoutMs: durationMs.optional(),
  interceptors: readonlyList(z.array(interceptorSchema)).default([]),
});

/**
 * The options with their defaults.
 *
 * @interface
 */
export type ResolvedGrpcVsockTransportOptions = z.output<typeof optionsSchema>;

// A vsock port is a 32-bit number (Firecracker reads it as u32).
const MAX_PORT = 0xffff_ffff;
const portSchema = z
  .number({ error: 'expected a vsock port number' })
  .int(`expected an integer from 0 to ${MAX_PORT}`)
  .min(0, `expected an integer from 0 to ${MAX_PORT}`)
  .max(MAX_PORT, `expected an integer from 0 to ${MAX_PORT}`);

const parseInput = createInputParser(
  (message, options) => new GrpcVsockError('ERR_INVALID_INPUT', message, options),
);

/** Checks the guest port and the options; `ERR_INVALID_INPUT` names the bad field. */
export const parseTransportInput = (
  port: unknown,
  options: unknown,
): { port: number; options: ResolvedGrpcVsockTransportOptions } => ({
  port: parseInput(portSchema, port, 'port'),
  options: parseInput(optionsSchema, options ?? {}, 'options'),
});
