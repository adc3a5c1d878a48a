// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { z } from 'zod';
import { rateLimiterSchema } from './rate-limiter.js';
import { apiResourceIdSchema } from './resource-id.js';
import { denyUnknownFields, expecting, integerIn, serdeOption, wireString } from './wire-types.js';

// Firecracker's `MacAddr::from_str`: six ':'-separated groups of two hex digits, any case.
const MAC_ADDRESS = /^[\dA-Fa-f]{2}(?::[\dA-Fa-f]{2}){5}$/u;

/** The zod schema of a guest MAC address such as `"AA:FC:00:00:00:01"` (hex in any case). */
export const guestMacSchema = z.string(expecting('a MAC address string')).regex(MAC_ADDRESS, {
  error:
    'must be six ":"-separated pairs of hex digits such as "AA:FC:00:00:00:01" (Firecracker: "The provided MAC address is invalid.")',
});

/**
 * The zod schema of a `NetworkInterface` (`PUT /network-interfaces/{iface_id}`;
 * `network-interfaces[]` in a config file and in `GET /vm/config`). Unknown fields are rejected.
 *
 * Firecracker opens the TAP at PUT time (so a bad `host_dev_name` fails before a bad `mtu`),
 * refuses a `guest_mac` another interface already uses (`"The MAC address is already in use:
 * …"`), and before boot replaces an interface with the same id, which detaches it from MMDS: PUT
 * `/mmds/config` after the interfaces. After boot a PUT hot-plugs the interface.
 */
export const networkInterfaceSchema = denyUnknownFields('NetworkInterface', {
  /** The interface's id: Unicode alphanumerics and `_`; equals the id in the path. */
  iface_id: apiResourceIdSchema,
  /** Name of the host TAP device, e.g. `tap0`. */
  host_dev_name: wireString('a TAP device name'),
  /** The guest's MAC address, unique across interfaces; when omitted the guest picks one. */
  guest_mac: serdeOption(guestMacSchema),
  /**
   * MTU advertised to the guest (`VIRTIO_NET_F_MTU`), 68–65535; when omitted the guest uses its
   * default (Firecracker: `"MTU 50 is out of range [68, 65535]"`).
   */
  mtu: serdeOption(integerIn(68, 65_535, 'Firecracker allows MTU 68 to 65535')),
  /** Rate limiter for traffic received by the guest. */
  rx_rate_limiter: serdeOption(rateLimiterSchema),
  /** Rate limiter for traffic sent by the guest. */
  tx_rate_limiter: serdeOption(rateLimiterSchema),
});

/**
 * A virtio-net interface backed by a host TAP device.
 *
 * @interface
 */
export type NetworkInterface = z.infer<typeof networkInterfaceSchema>;

/**
 * The zod schema of a `PartialNetworkInterface` (`PATCH /network-interfaces/{iface_id}`, after
 * boot): new rate limiters. Unknown fields are rejected. A limiter that is omitted stays as it
 * is; a bucket with `size` or `refill_time` 0 disables it.
 */
export const partialNetworkInterfaceSchema = denyUnknownFields('PartialNetworkInterface', {
  /** The interface's id; equals the id in the path. */
  iface_id: apiResourceIdSchema,
  /** New rate limiter for traffic received by the guest. */
  rx_rate_limiter: serdeOption(rateLimiterSchema),
  /** New rate limiter for traffic sent by the guest. */
  tx_rate_limiter: serdeOption(rateLimiterSchema),
});

/**
 * An update of a network interface's rate limiters.
 *
 * @interface
 */
export type PartialNetworkInterface = z.infer<typeof partialNetworkInterfaceSchema>;
