// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { z } from 'zod';

/** The zod schema of an absolute host path: every ownership and resource operation takes one. */
export const absolutePathSchema = z
  .string({ error: 'expected an absolute path' })
  .refine((value) => value.startsWith('/') && !value.includes('\0'), {
    error: 'expected an absolute path without NUL bytes',
  });
