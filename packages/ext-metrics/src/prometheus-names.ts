// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import type { MetricKind } from '@kindling/vmm-core';

/** The groups Firecracker also writes per device, and those it writes only per device. */
export const DEVICE_GROUPS: ReadonlySet<string> = new Set([
  'block',
  'net',
  'pmem',
  'vhost_user_block',
]);
export const PER_DEVICE_ONLY: ReadonlySet<string> = new Set(['vhost_user_block']);

/** A Prometheus name, and what a Firecracker number is divided by to be in its unit. */
export interface PrometheusName {
  readonly name: string;
  readonly divisor: number;
}

const MICROSECONDS = '_us';

/**
 * The Prometheus name of a Firecracker metric, by Prometheus' conventions:
 * `firecracker_<group>_<field>`, `_device_` after the group for a per-device series, a nested
 * aggregate's dot as `_`, `_total` for a counter, and microseconds (`_us`, also the group
 * `latencies_us`) as base-unit `_seconds` (divisor 1e6). Bytes stay `_bytes`; counts have no unit.
 */
export const prometheusNameOf = (
  group: string,
  field: string,
  kind: MetricKind,
  perDevice: boolean,
): PrometheusName => {
  let groupName = group;
  let fieldName = field.replaceAll('.', '_');
  if (groupName.endsWith(MICROSECONDS)) {
    groupName = groupName.slice(0, -MICROSECONDS.length);
    fieldName = `${fieldName}${MICROSECONDS}`;
  }
  let divisor = 1;
  if (fieldName.endsWith(MICROSECONDS)) {
    fieldName = `${fieldName.slice(0, -MICROSECONDS.length)}_seconds`;
    divisor = 1e6;
  }
  const device = perDevice ? 'device_' : '';
  const total = kind === 'delta' ? '_total' : '';
  return { name: `firecracker_${groupName}_${device}${fieldName}${total}`, divisor };
};
