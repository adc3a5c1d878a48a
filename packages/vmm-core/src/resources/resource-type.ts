// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { z } from 'zod';

/** What a created resource is: an empty regular file, or a named pipe (FIFO). */
export type CreatedFileType = 'file' | 'fifo';

/**
 * How a moved resource gets from its initial path to its effective path:
 * - `copy`: a copy (copy-on-write where the filesystem can), the original untouched.
 * - `hard-link`: a hard link, so both names share one file; same filesystem only.
 * - `copy-or-hard-link`: a copy, or a hard link when copying fails (e.g. no space left).
 * - `hard-link-or-copy`: a hard link, or a copy when linking fails (e.g. across filesystems).
 * - `rename`: the file itself moves (and moves back on disposal); same filesystem only.
 */
export type MoveMethod =
  'copy' | 'hard-link' | 'copy-or-hard-link' | 'hard-link-or-copy' | 'rename';

/**
 * The three kinds of resource: `created` by Kindling before the VMM starts (log and metrics files
 * or FIFOs), `moved` into place from where the user keeps them (kernel, drives, snapshots to
 * restore), and `produced` by the VMM itself (snapshot files, the vsock socket).
 */
export type ResourceType =
  | { readonly kind: 'created'; readonly fileType: CreatedFileType }
  | { readonly kind: 'moved'; readonly method: MoveMethod }
  | { readonly kind: 'produced' };

/** The zod schema of a `ResourceType`. */
export const resourceTypeSchema = z.discriminatedUnion(
  'kind',
  [
    z.strictObject({
      kind: z.literal('created'),
      fileType: z.enum(['file', 'fifo'], { error: "expected 'file' or 'fifo'" }),
    }),
    z.strictObject({
      kind: z.literal('moved'),
      method: z.enum(['copy', 'hard-link', 'copy-or-hard-link', 'hard-link-or-copy', 'rename'], {
        error: "expected 'copy', 'hard-link', 'copy-or-hard-link', 'hard-link-or-copy' or 'rename'",
      }),
    }),
    z.strictObject({ kind: z.literal('produced') }),
  ],
  { error: "expected an object whose kind is 'created', 'moved' or 'produced'" },
);

/** Describes a resource type for messages: `created fifo`, `moved (hard-link-or-copy)`. */
export const describeResourceType = (type: ResourceType): string => {
  if (type.kind === 'created') {
    return `created ${type.fileType}`;
  }
  return type.kind === 'moved' ? `moved (${type.method})` : 'produced';
};
