// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { z } from 'zod';

/** Every error answer of the server: `{ error: { code, message, field? } }`. */
export const errorBodySchema = z.strictObject({
  /** What went wrong. */
  error: z.strictObject({
    /** A stable code: the SDK's (`ERR_INVALID_INPUT`, `ERR_VM_NOT_FOUND`…) or the server's own. */
    code: z.string(),
    /** Words for a person: what was wrong and how to fix it. */
    message: z.string(),
    /** The request field at fault, for bad input (`body.source.path`). */
    field: z.string().optional(),
  }),
});

/**
 * An error answer of the server.
 * @interface
 */
export type ErrorBody = z.output<typeof errorBodySchema>;
