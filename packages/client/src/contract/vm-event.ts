// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { z } from 'zod';
import { vmIdSchema } from './vm-id.js';
import { vmStateSchema } from './vm-info.js';

/** A VM's state in an event: one of its states, or `deleted` once it is gone. */
export const vmEventStateSchema = z.union([vmStateSchema, z.literal('deleted')]);

/** One change of a VM, as `GET /v1/events` streams it (create, state changes, crash, delete). */
export const vmEventSchema = z.strictObject({
  /** The VM it is about. */
  id: vmIdSchema,
  /** Its state after the change. */
  state: vmEventStateSchema,
  /** Its state before, unless the event is its creation. */
  previousState: vmEventStateSchema.optional(),
  /** When it happened (ISO 8601). */
  at: z.string(),
  /** Why, in words, where the server knows (a crash, a stop asked for). */
  reason: z.string().optional(),
});

/**
 * One change of a VM.
 * @interface
 */
export type VmEvent = z.output<typeof vmEventSchema>;
