// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import type { z } from 'zod';
import { rateLimiterSchema } from './rate-limiter.js';
import { apiResourceIdSchema } from './resource-id.js';
import { denyUnknownFields, serdeOption, wireBoolean, wireString } from './wire-types.js';

/**
 * The zod schema of a `Pmem` device (`PUT /pmem/{id}`; `pmem[]` in a config file and in
 * `GET /vm/config`): a virtio-pmem device backed by a host file. Unknown fields are rejected.
 *
 * Before boot Firecracker opens the file only at `InstanceStart`. Only one root device may exist
 * across drives and pmem devices (`"A root pmem device already exist"`, `"Attempt to add pmem as
 * a root device while the root device defined as a block device"`). After boot a PUT hot-plugs.
 */
export const pmemSchema = denyUnknownFields('Pmem', {
  /** The device's id: Unicode alphanumerics and `_`; equals the id in the path. */
  id: apiResourceIdSchema,
  /** Host path of the backing file. */
  path_on_host: wireString('a path string'),
  /** Boot from this device (`root=/dev/pmemN`). Default false. */
  root_device: wireBoolean().optional(),
  /** Map the backing file read-only. Default false. */
  read_only: wireBoolean().optional(),
  /** I/O rate limiter. */
  rate_limiter: serdeOption(rateLimiterSchema),
});

/**
 * A virtio-pmem device.
 *
 * @interface
 */
export type Pmem = z.infer<typeof pmemSchema>;

/**
 * The zod schema of a `PartialPmem` (`PATCH /pmem/{id}`, after boot): a new rate limiter.
 * Unknown fields are rejected.
 */
export const partialPmemSchema = denyUnknownFields('PartialPmem', {
  /** The device's id; equals the id in the path. */
  id: apiResourceIdSchema,
  /** New rate limiter; a bucket with `size` or `refill_time` 0 disables it. */
  rate_limiter: serdeOption(rateLimiterSchema),
});

/**
 * An update of a pmem device's rate limiter.
 *
 * @interface
 */
export type PartialPmem = z.infer<typeof partialPmemSchema>;
