// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { z } from 'zod';

/** The query of the file routes: the guest path (under the exec agent's root; `..` cannot climb above it). */
export const guestPathQuerySchema = z.strictObject({
  /** The path in the guest (relative paths start at the agent's root). */
  path: z.string().min(1),
});

/** A guest file's description: `GET /v1/vms/{id}/files/stat`, and each entry of a listing. */
export const guestFileStatSchema = z.strictObject({
  /** Its name (the last component). */
  name: z.string(),
  /** What it is. */
  type: z.enum(['file', 'directory', 'symlink', 'other']),
  /** Its size in bytes. */
  size: z.number(),
  /** Its permission bits (`mode & 0o7777`). */
  mode: z.int(),
  /** When it was last written, in milliseconds since the epoch. */
  mtimeMs: z.number(),
  /** Its owner's user id. */
  uid: z.int(),
  /** Its group id. */
  gid: z.int(),
  /** Where a symlink points, as written in it. */
  linkTarget: z.string().optional(),
});

/** The answer of `GET /v1/vms/{id}/files/list`: a guest folder's entries, sorted by name. */
export const guestFileListSchema = z.strictObject({
  /** Its entries. */
  entries: z.array(guestFileStatSchema),
});

/** The answer of `PUT /v1/vms/{id}/files`: what the archive put in the guest. */
export const transferResultSchema = z.strictObject({
  /** The archive's entries written. */
  entries: z.int().nonnegative(),
  /** The bytes of file contents written. */
  bytes: z.int().nonnegative(),
});

/**
 * A guest path's description.
 * @interface
 */
export type GuestFileStat = z.output<typeof guestFileStatSchema>;
/**
 * A guest folder's entries.
 * @interface
 */
export type GuestFileList = z.output<typeof guestFileListSchema>;
/**
 * What a push wrote.
 * @interface
 */
export type TransferResult = z.output<typeof transferResultSchema>;
