// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { createInputParser, MAX_TIMER_MS } from '@kindling/helpers';
import { z } from 'zod';
import { HttpVsockError } from './errors.js';

/** Throws `HttpVsockError` `ERR_INVALID_INPUT`: `subject.path: rule, got value`, one line each. */
export const parseInput = createInputParser(
  (message, options) => new HttpVsockError('ERR_INVALID_INPUT', message, options),
);

const MAX_PORT = 0xff_ff_ff_ff;
// Far more than a guest agent needs; a bound so that a typo cannot open thousands of connections.
const MAX_CONNECTIONS = 1024;

const integerFrom = (min: number, max: number, rule: string) =>
  z
    .number({ error: rule })
    .int({ error: rule })
    .min(min, { error: rule })
    .max(max, { error: rule });

const millisecondsRule = `expected a positive integer of milliseconds up to ${MAX_TIMER_MS}`;
const milliseconds = integerFrom(1, MAX_TIMER_MS, millisecondsRule);

/** A guest vsock port: Firecracker reads it as an unsigned 32-bit integer. */
export const portSchema = integerFrom(0, MAX_PORT, `expected an integer from 0 to ${MAX_PORT}`);

const isHttpOrigin = (value: string): boolean => {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' && url.origin === value.replace(/\/$/u, '');
  } catch {
    return false;
  }
};

const dispatcherOptionsSchema = z.strictObject(
  {
    /**
     * The origin requests are made to (default `http://localhost`): its host is the `Host`
     * header the guest sees; the connection always goes to the dispatcher's vsock port.
     */
    origin: z
      .string({ error: 'expected an http origin such as http://localhost' })
      .refine(isHttpOrigin, { error: 'expected an http origin such as http://localhost' })
      .default('http://localhost'),
    /** How many connections the pool opens at most (default 16); more requests wait in line. */
    connections: integerFrom(
      1,
      MAX_CONNECTIONS,
      `expected an integer from 1 to ${MAX_CONNECTIONS}`,
    ).default(16),
    /**
     * How long opening one connection may take (default 10 000 ms): reaching the vsock socket,
     * `CONNECT <port>` and Firecracker's `OK`.
     */
    connectTimeoutMs: milliseconds.default(10_000),
    /** How long an idle connection is kept for the next request (default 4 000 ms). */
    keepAliveTimeoutMs: milliseconds.default(4_000),
    /** How long a request waits for the whole response head (default 30 000 ms). */
    headersTimeoutMs: milliseconds.default(30_000),
    /** How long a response body may go without data (default 30 000 ms). */
    bodyTimeoutMs: milliseconds.default(30_000),
  },
  {
    // Unknown keys keep zod's own issue, which the parser turns into a "did you mean" line.
    error: (issue) =>
      issue.code === 'unrecognized_keys' ? undefined : 'expected an options object',
  },
);

/**
 * What `new VsockDispatcher(vm, port, options)` takes.
 *
 * @interface
 */
export type VsockDispatcherOptions = z.input<typeof dispatcherOptionsSchema>;

/**
 * `VsockDispatcherOptions` after checks and defaults.
 *
 * @interface
 */
export type ResolvedVsockDispatcherOptions = Readonly<z.output<typeof dispatcherOptionsSchema>>;

/** Checks a port and the options of a dispatcher, and fills in the defaults. */
export const resolveDispatcherOptions = (
  port: unknown,
  options?: VsockDispatcherOptions,
): { readonly port: number; readonly options: ResolvedVsockDispatcherOptions } => ({
  port: parseInput(portSchema, port, 'port'),
  options: parseInput(dispatcherOptionsSchema, options ?? {}, 'options'),
});
