// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { z } from 'zod';

/** A VM's id on a server: also a file name in its state folder, so ASCII letters, digits, "-". */
export const vmIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9-]{0,63}$/u, {
    error: 'expected 1 to 64 ASCII letters, digits or "-", not starting with "-"',
  })
  .meta({ description: "A VM's id on this server (also Firecracker's --id)" });

/** Free-form labels an orchestrator tags a VM with (its allocation, its pod). */
export const labelsSchema = z
  .record(z.string().regex(/^[A-Za-z0-9._/-]{1,128}$/u), z.string().max(1024))
  .refine((labels) => Object.keys(labels).length <= 64, { error: 'at most 64 labels' });

/**
 * A VM's id.
 * @useDeclaredType
 */
export type VmId = z.output<typeof vmIdSchema>;
/**
 * A VM's labels.
 * @useDeclaredType
 */
export type Labels = z.output<typeof labelsSchema>;
