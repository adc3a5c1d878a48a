// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import type { ShutdownAction } from '@kindling/vm';
import { z } from 'zod';
import { MAX_TIMER_MS } from '@kindling/helpers';

// The shape of `@kindling/vm`'s `ShutdownAction`, checked when a link is made rather than when it
// fires: a mistake found at a crash would be found too late.
const shutdownActionSchema = z.strictObject({
  method: z.enum(['ctrl-alt-del', 'write-serial', 'pause-then-kill', 'kill']),
  timeoutMs: z.number().int().positive().max(MAX_TIMER_MS).optional(),
  graceful: z.boolean().optional(),
  input: z.union([z.string(), z.instanceof(Uint8Array)]).optional(),
});

/** A non-empty list of shutdown actions, tried in order. */
export const shutdownActionsSchema = z
  .array(shutdownActionSchema)
  .min(1)
  .readonly() as unknown as z.ZodType<readonly ShutdownAction[]>;

/** A function, named in the message when it is not one. */
export const functionSchema = <Fn>(what: string) =>
  z.custom<Fn>((value) => typeof value === 'function', { message: `expected ${what}` });
