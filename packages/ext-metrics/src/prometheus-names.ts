// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import type { MetricKind } from './metric-kinds-v1.16.1.js';

/** The groups Firecracker also writes per device, and those it writes only per device. */
export const DEVICE_GROUPS: ReadonlySet<string> = new Set([
  'block',
  'net',
  'pmem',
  'vhost_user_block',
]);
export const PER_DEVICE_ONLY: ReadonlySet<string> = new Set(['vhost_user_block']);

/**
 * The Prometheus name of a Firecracker metric: `firecracker_<group>_<field>`, `_device_` after
 * the group for a per-device series, the latency aggregates' dot as `_`, and `_total` for a
 * counter. Units stay the suffixes Firecracker gives (`_us`, `_bytes`, `_count` for counts).
 */
export const prometheusNameOf = (
  group: string,
  field: string,
  kind: MetricKind,
  perDevice: boolean,
): string =>
  `firecracker_${group}_${perDevice ? 'device_' : ''}${field.replaceAll('.', '_')}${kind === 'delta' ? '_total' : ''}`;
