// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import type { z } from 'zod';
import { denyUnknownFields, integerIn, serdeOption, wireString } from './wire-types.js';

/** The lowest guest CID Kindling accepts: 0 to 2 are reserved (hypervisor, local, host). */
export const MIN_GUEST_CID = 3;

/**
 * The zod schema of a `Vsock` device (`PUT /vsock`; `vsock` in a config file and in
 * `GET /vm/config`). Unknown fields are rejected.
 *
 * Kindling is deliberately stricter than Firecracker here: Firecracker's code accepts any u32
 * `guest_cid`, including the reserved CIDs 0 (hypervisor), 1 (local) and 2 (the host, which the
 * guest dials to reach `uds_path`), although its OpenAPI spec says minimum 3. A guest with such a
 * CID cannot talk to the host, so Kindling refuses 0–2.
 *
 * Firecracker binds `uds_path` at PUT time and fails if the file exists (`"Address already in
 * use"`): unlink it first. A second PUT deletes the previous `uds_path` before binding.
 */
export const vsockSchema = denyUnknownFields('Vsock', {
  /** The guest's context id, 3 to 2^32 − 1 (u32; Kindling refuses the reserved 0–2). */
  guest_cid: integerIn(
    MIN_GUEST_CID,
    0xff_ff_ff_ff,
    'u32; Kindling refuses the reserved CIDs 0-2, which Firecracker does not check',
  ),
  /**
   * Host Unix socket for host-initiated connections (`CONNECT <port>\n`); for guest-initiated
   * ones Firecracker connects to `<uds_path>_<port>`.
   */
  uds_path: wireString('a path string'),
  /** Deprecated and unused; sending it adds `Deprecation: true` to the response. */
  vsock_id: serdeOption(wireString()),
});

/**
 * A virtio-vsock device proxied to a host Unix socket.
 *
 * @interface
 */
export type Vsock = z.infer<typeof vsockSchema>;
