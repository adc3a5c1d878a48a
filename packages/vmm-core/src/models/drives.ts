// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import type { z } from 'zod';
import { rateLimiterSchema } from './rate-limiter.js';
import { apiResourceIdSchema } from './resource-id.js';
import {
  addRuleIssue,
  denyUnknownFields,
  isSet,
  serdeOption,
  wireBoolean,
  wireEnum,
  wireString,
} from './wire-types.js';

// A vhost-user drive takes none of the virtio-block fields (Firecracker's
// `VhostUserBlockConfig::try_from`); `path_on_host` is reported by its own rule.
const VIRTIO_BLOCK_ONLY = ['is_read_only', 'rate_limiter', 'io_engine'] as const;

/**
 * The zod schema of a `Drive` (`PUT /drives/{drive_id}`; `drives[]` in a config file and in
 * `GET /vm/config`). Unknown fields are rejected.
 *
 * A drive is one of two kinds, and Firecracker refuses a body that is neither (`"Unable to create
 * the virtio block device: Invalid block config."`):
 * - virtio-block: `path_on_host` set, `socket` not set; optional `is_read_only` (default false),
 *   `rate_limiter` and `io_engine` (`Sync` default, or `Async` with io_uring);
 * - vhost-user-block: `socket` set, and none of `path_on_host`, `is_read_only`, `rate_limiter`
 *   and `io_engine`. Such a drive cannot be snapshotted.
 *
 * Only one root device may exist across drives and pmem devices; the id in the path must equal
 * `drive_id`. After boot a PUT hot-plugs the drive (needs `--enable-pci`).
 */
export const driveSchema = denyUnknownFields('Drive', {
  /** The drive's id: Unicode alphanumerics and `_`; equals the id in the path. */
  drive_id: apiResourceIdSchema,
  /** Whether the guest boots from this drive (`root=/dev/vda`, or by `partuuid`). */
  is_root_device: wireBoolean(),
  /** Root partition's PARTUUID (`root=PARTUUID=…`); used only when `is_root_device`. */
  partuuid: serdeOption(wireString()),
  /** `Unsafe` (default: flush requests are ignored) or `Writeback` (flushes reach the host). */
  cache_type: wireEnum(['Unsafe', 'Writeback']).optional(),
  /** virtio-block: host path of the backing file or block device. */
  path_on_host: serdeOption(wireString('a path string')),
  /** virtio-block: open the backing file read-only (default false). Not for vhost-user. */
  is_read_only: serdeOption(wireBoolean()),
  /** virtio-block: I/O rate limiter. Not for vhost-user. */
  rate_limiter: serdeOption(rateLimiterSchema),
  /**
   * virtio-block: `Sync` (default) or `Async` (io_uring; the doc asks for host ≥ 5.10.51, the
   * code does not check). Not for vhost-user.
   */
  io_engine: serdeOption(wireEnum(['Sync', 'Async'])),
  /** vhost-user-block: path of the backend's Unix socket. */
  socket: serdeOption(wireString('a path string')),
}).superRefine((drive, context) => {
  if (isSet(drive.socket)) {
    if (isSet(drive.path_on_host)) {
      addRuleIssue(
        context,
        ['socket'],
        'must not be set together with path_on_host: a drive is either virtio-block (path_on_host) or vhost-user-block (socket)',
        drive.socket,
      );
    }
    for (const field of VIRTIO_BLOCK_ONLY) {
      if (isSet(drive[field])) {
        addRuleIssue(
          context,
          [field],
          'is a virtio-block field: a vhost-user-block drive (with socket) must not set it',
          drive[field],
        );
      }
    }
  } else if (!isSet(drive.path_on_host)) {
    addRuleIssue(
      context,
      ['path_on_host'],
      'is required unless socket is set: a drive needs path_on_host (virtio-block) or socket (vhost-user-block)',
      drive.path_on_host,
    );
  }
});

/**
 * A block device: virtio-block (`path_on_host`) or vhost-user-block (`socket`).
 *
 * @interface
 */
export type Drive = z.infer<typeof driveSchema>;

/**
 * The zod schema of a `PartialDrive` (`PATCH /drives/{drive_id}`, after boot). Unknown fields are
 * rejected. `path_on_host` makes Firecracker re-read the size and notify the guest; with neither
 * optional field it refreshes a vhost-user drive's config, which fails on a virtio-block drive.
 */
export const partialDriveSchema = denyUnknownFields('PartialDrive', {
  /** The drive's id; equals the id in the path. */
  drive_id: apiResourceIdSchema,
  /** New backing file of a virtio-block drive. */
  path_on_host: serdeOption(wireString('a path string')),
  /** New rate limiter; a bucket with `size` or `refill_time` 0 disables it. */
  rate_limiter: serdeOption(rateLimiterSchema),
});

/**
 * An update of a drive's backing file or rate limiter.
 *
 * @interface
 */
export type PartialDrive = z.infer<typeof partialDriveSchema>;
