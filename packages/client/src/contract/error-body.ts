// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { z } from 'zod';

/** Every error answer of the server: `{ error: { code, message, field? } }`. */
export const errorBodySchema = z.strictObject({
  error: z.strictObject({
    code: z.string(),
    message: z.string(),
    field: z.string().optional(),
  }),
});

/** An error answer of the server. */
export type ErrorBody = z.output<typeof errorBodySchema>;
