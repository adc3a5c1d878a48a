// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { FIRECRACKER_METRIC_KINDS, type MetricKind } from '@kindling/vmm-core';

/** A top-level key of a metrics line: its group, and the device for a per-device group. */
export interface MetricGroup {
  /** The group as in `FIRECRACKER_METRIC_KINDS`: `block` for both `block` and `block_rootfs`. */
  readonly group: string;
  /** The device id of a per-device group (`rootfs` of `block_rootfs`), else undefined. */
  readonly device: string | undefined;
}

// Longest prefix first: `vhost_user_block_x` is a vhost-user drive, not a group `vhost`.
const DEVICE_GROUPS = ['vhost_user_block', 'block', 'net', 'pmem'] as const;

/** The group and device of a top-level key (`net_eth0` → `net`, `eth0`). */
export const metricGroupOf = (key: string): MetricGroup => {
  for (const group of DEVICE_GROUPS) {
    if (key.startsWith(`${group}_`) && key.length > group.length + 1) {
      return { group, device: key.slice(group.length + 1) };
    }
  }
  return { group: key, device: undefined };
};

/**
 * Whether a field of a top-level key is a delta or a value in Firecracker v1.16.1; undefined for
 * a group or field v1.16.1 does not have (another version's, kept as read).
 */
export const metricKindOf = (key: string, field: string): MetricKind | undefined => {
  const { group } = metricGroupOf(key);
  const kinds = Object.hasOwn(FIRECRACKER_METRIC_KINDS, group)
    ? FIRECRACKER_METRIC_KINDS[group]
    : undefined;
  return kinds !== undefined && Object.hasOwn(kinds, field) ? kinds[field] : undefined;
};
