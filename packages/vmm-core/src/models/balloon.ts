// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import type { z } from 'zod';
import {
  denyUnknownFields,
  ignoreUnknownFields,
  responseObject,
  serdeOption,
  u16,
  u32,
  u64,
  wireBoolean,
} from './wire-types.js';

/**
 * The zod schema of a `Balloon` device (`PUT` and `GET /balloon`; `balloon` in a config file and
 * in `GET /vm/config`). Unknown fields are rejected.
 *
 * `amount_mib` must not exceed the machine's `mem_size_mib` as configured at the time of the PUT
 * (default 128, so set machine-config first): Firecracker answers `"Amount of pages requested is
 * too large."`. `vmmConfigFileSchema` checks it across a config file.
 */
export const balloonSchema = denyUnknownFields('Balloon', {
  /** Target balloon size in MiB (u32); at most the guest's memory. */
  amount_mib: u32(),
  /** Whether the balloon deflates when the guest runs out of memory. */
  deflate_on_oom: wireBoolean(),
  /**
   * Seconds between statistics updates (u16); 0 (the default) disables statistics, and they
   * cannot be turned on or off after boot.
   */
  stats_polling_interval_s: u16().optional(),
  /** Free page hinting (set before boot only). Default false. */
  free_page_hinting: wireBoolean().optional(),
  /** Free page reporting (set before boot only). Default false. */
  free_page_reporting: wireBoolean().optional(),
});

/**
 * A virtio-balloon device.
 *
 * @interface
 */
export type Balloon = z.infer<typeof balloonSchema>;

/**
 * The zod schema of a `PATCH /balloon` body (after boot): a new target size, and nothing else;
 * Firecracker rejects `stats_polling_interval_s` here although its doc example sends it.
 */
export const balloonUpdateSchema = denyUnknownFields('BalloonUpdate', {
  /** New target balloon size in MiB (u32); below the guest's memory. */
  amount_mib: u32(),
});

/**
 * A new balloon target size.
 *
 * @interface
 */
export type BalloonUpdate = z.infer<typeof balloonUpdateSchema>;

/**
 * The zod schema of a `PATCH /balloon/statistics` body (after boot): a new polling interval,
 * which must stay non-zero when statistics were enabled and zero when they were not.
 */
export const balloonStatsUpdateSchema = denyUnknownFields('BalloonStatsUpdate', {
  /** Seconds between statistics updates (u16). */
  stats_polling_interval_s: u16(),
});

/**
 * A new balloon statistics polling interval.
 *
 * @interface
 */
export type BalloonStatsUpdate = z.infer<typeof balloonStatsUpdateSchema>;

/**
 * The zod schema of the optional `PATCH /balloon/hinting/start` body (after boot; Firecracker
 * serves PATCH, not the POST its doc shows). Firecracker ignores unknown fields here.
 */
export const balloonHintingStartSchema = ignoreUnknownFields('BalloonStartCmd', {
  /** Acknowledge automatically when the guest reports the run done. Default true. */
  acknowledge_on_stop: wireBoolean().optional(),
});

/**
 * Options of a free page hinting run.
 *
 * @interface
 */
export type BalloonHintingStart = z.infer<typeof balloonHintingStartSchema>;

/** The zod schema of the `GET /balloon/hinting/status` response. */
export const balloonHintingStatusSchema = responseObject('BalloonHintingStatus', {
  /** The last command the host issued (u32). */
  host_cmd: u32(),
  /** The last command the guest sent (u32), `null` when none yet. */
  guest_cmd: serdeOption(u32()),
});

/**
 * The state of free page hinting.
 *
 * @interface
 */
export type BalloonHintingStatus = z.infer<typeof balloonHintingStatusSchema>;

const guestStat = () => serdeOption(u64());

/**
 * The zod schema of the `GET /balloon/statistics` response (after boot, statistics enabled).
 * The guest-reported values are omitted until the guest reports them. Unknown fields are kept.
 */
export const balloonStatsSchema = responseObject('BalloonStats', {
  /** Pages the balloon aims to hold (u32). */
  target_pages: u32(),
  /** Pages the balloon holds (u32). */
  actual_pages: u32(),
  /** MiB the balloon aims to hold (u32). */
  target_mib: u32(),
  /** MiB the balloon holds (u32). */
  actual_mib: u32(),
  /** Bytes swapped in. */
  swap_in: guestStat(),
  /** Bytes swapped out. */
  swap_out: guestStat(),
  /** Major page faults. */
  major_faults: guestStat(),
  /** Minor page faults. */
  minor_faults: guestStat(),
  /** Bytes not used for anything. */
  free_memory: guestStat(),
  /** Total bytes of guest memory. */
  total_memory: guestStat(),
  /** Estimated bytes available to new applications without swapping. */
  available_memory: guestStat(),
  /** Bytes of caches that can be reclaimed without I/O. */
  disk_caches: guestStat(),
  /** Successful hugetlb page allocations. */
  hugetlb_allocations: guestStat(),
  /** Failed hugetlb page allocations. */
  hugetlb_failures: guestStat(),
  /** OOM killer invocations. */
  oom_kill: guestStat(),
  /** Allocations that entered the slow path. */
  alloc_stall: guestStat(),
  /** Memory scanned asynchronously. */
  async_scan: guestStat(),
  /** Memory scanned directly. */
  direct_scan: guestStat(),
  /** Memory reclaimed asynchronously. */
  async_reclaim: guestStat(),
  /** Memory reclaimed directly. */
  direct_reclaim: guestStat(),
});

/**
 * Balloon and guest memory statistics.
 *
 * @interface
 */
export type BalloonStats = z.infer<typeof balloonStatsSchema>;
