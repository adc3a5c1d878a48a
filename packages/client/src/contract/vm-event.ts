// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { z } from 'zod';

/** One change of a VM, as `GET /v1/events` streams it (create, state changes, crash, delete). */
export const vmEventSchema = z.looseObject({
  /** The VM's id. */
  id: z.string(),
  state: z.string(),
  previousState: z.string().optional(),
  /** When it happened (ISO 8601). */
  at: z.string(),
  reason: z.string().optional(),
});

/** One change of a VM. */
export type VmEvent = z.output<typeof vmEventSchema>;
