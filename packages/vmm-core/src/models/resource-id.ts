// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { z } from 'zod';
import { expecting } from './wire-types.js';

// Rust's `char::is_alphanumeric` is the Alphabetic property or the general categories Nd, Nl, No;
// `\p{N}` is exactly those three.
const RESOURCE_ID = /^[\p{Alphabetic}\p{N}_]+$/u;

/**
 * The zod schema of an API resource id: `drive_id`, `iface_id`, a pmem `id`, and the ids in
 * `/drives/{id}`, `/network-interfaces/{id}` and `/pmem/{id}`.
 *
 * Firecracker's rule (`checked_id`): non-empty (`"The ID cannot be empty."`), and every character
 * Unicode-alphanumeric (Rust `char::is_alphanumeric`, so `é` and `日本` pass) or `_` (`"API
 * Resource IDs can only contain alphanumeric characters and underscores."`). A hyphen is
 * rejected. There is no percent-decoding, so an id cannot be percent-encoded into a path.
 *
 * Firecracker checks the id of the path and then requires the body's id to equal it; a
 * `--config-file` skips that check, but Kindling applies the rule everywhere so that one
 * configuration works both through the API and as a config file.
 */
export const apiResourceIdSchema = z
  .string(expecting('a resource id string'))
  .min(1, { error: 'must not be empty (Firecracker: "The ID cannot be empty.")', abort: true })
  .regex(RESOURCE_ID, {
    error:
      'must contain only Unicode letters, digits and "_" (Firecracker: "API Resource IDs can only contain alphanumeric characters and underscores."); "-" is not allowed',
  });

/**
 * An API resource id: Unicode alphanumerics and `_`, non-empty.
 *
 * @useDeclaredType
 */
export type ApiResourceId = z.infer<typeof apiResourceIdSchema>;
