// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import type { Aspect } from './openapi-compare.js';

/** Why a model departs from the v1.16.1 OpenAPI spec. */
export type DeviationSource =
  /** Firecracker's code, which firecracker.md records, says otherwise than the spec. */
  | 'code'
  /** A field newer than v1.16.1 that the models accept as optional (firecracker.md, top). */
  | 'head-only'
  /** Kindling is deliberately stricter or reports what Firecracker really sends. */
  | 'kindling';

/** A known difference between a model and the spec: the comparison must find exactly these. */
export interface KnownDeviation {
  readonly where: string;
  readonly aspect: Aspect;
  readonly source: DeviationSource;
  readonly reason: string;
}

/** Every difference the comparison finds, each with its reason. */
export const KNOWN_DEVIATIONS: readonly KnownDeviation[] = [
  {
    where: 'MachineConfiguration.huge_pages',
    aspect: 'enum',
    source: 'head-only',
    reason: '"Transparent" is newer than v1.16.1, which rejects it as an unknown variant',
  },
  {
    where: 'MachineConfiguration (PATCH).vcpu_count',
    aspect: 'required',
    source: 'code',
    reason:
      'PATCH reads MachineConfigUpdate, whose fields are all optional (section 2: any subset)',
  },
  {
    where: 'MachineConfiguration (PATCH).mem_size_mib',
    aspect: 'required',
    source: 'code',
    reason:
      'PATCH reads MachineConfigUpdate, whose fields are all optional (section 2: any subset)',
  },
  {
    where: 'MachineConfiguration (PATCH).huge_pages',
    aspect: 'enum',
    source: 'head-only',
    reason: '"Transparent" is newer than v1.16.1, as in PUT',
  },
  {
    where: 'Metrics.emit_id',
    aspect: 'extra-field',
    source: 'head-only',
    reason: 'newer than v1.16.1, which silently ignores it (MetricsConfig keeps unknown fields)',
  },
  {
    where: 'Metrics.properties',
    aspect: 'extra-field',
    source: 'head-only',
    reason: 'newer than v1.16.1, which silently ignores it (MetricsConfig keeps unknown fields)',
  },
  {
    where: 'SnapshotLoadParams.huge_pages',
    aspect: 'extra-field',
    source: 'head-only',
    reason: 'newer than v1.16.1, which rejects it (LoadSnapshotConfig denies unknown fields)',
  },
  {
    where: 'Logger.level',
    aspect: 'enum',
    source: 'code',
    reason:
      'Firecracker reads the level case-insensitively and also accepts "Warn" (section 3), so the schema is a case-insensitive pattern rather than an enum; every spec value still passes',
  },
  {
    where: 'MemoryHotplugConfig.total_size_mib',
    aspect: 'required',
    source: 'code',
    reason: 'total_size_mib is the one field without a default in the code (section 3)',
  },
  {
    where: 'MemoryHotplugSizeUpdate.requested_size_mib',
    aspect: 'required',
    source: 'code',
    reason: 'the PATCH body is {"requested_size_mib": usize} (section 2)',
  },
  ...[
    'total_size_mib',
    'slot_size_mib',
    'block_size_mib',
    'plugged_size_mib',
    'requested_size_mib',
  ].map((field): KnownDeviation => ({
    where: `MemoryHotplugStatus.${field}`,
    aspect: 'required',
    source: 'code',
    reason: 'GET /hotplug/memory always reports the five sizes (section 3)',
  })),
  {
    where: 'MmdsContentsObject',
    aspect: 'type',
    source: 'code',
    reason: 'PUT and PATCH /mmds take any JSON value, not only an object (section 2)',
  },
  {
    where: 'FullVmConfiguration.vsock.guest_cid',
    aspect: 'minimum',
    source: 'code',
    reason:
      "a response reports what Firecracker holds, and its code accepts any u32 CID (section 14); requests keep Kindling's minimum 3",
  },
  {
    where: 'config file.boot-source',
    aspect: 'required',
    source: 'code',
    reason: 'the config file requires boot-source (section 7)',
  },
  {
    where: 'config file.drives',
    aspect: 'required',
    source: 'code',
    reason: 'the config file requires drives, possibly [] (section 7)',
  },
  {
    where: 'config file.cpu-config',
    aspect: 'type',
    source: 'code',
    reason: 'the config file takes an inline CpuConfig or the path of a template file (section 7)',
  },
];

/** How the models settle one inconsistency of firecracker.md section 14. */
export interface Section14Conflict {
  readonly conflict: string;
  /** What Kindling does; a conflict outside the models names the layer that handles it. */
  readonly resolution: string;
}

/** The inconsistencies of firecracker.md section 14, each checked by the conformance test. */
export const SECTION_14_CONFLICTS = {
  balloonPatchPhase: {
    conflict:
      'PATCH /balloon and /balloon/statistics are post-boot only; the swagger says pre-boot too',
    resolution: 'not a body rule: @kindling/vm gates these calls on the VM state',
  },
  hintingStartMethod: {
    conflict: 'hinting start is PATCH, not the documented POST',
    resolution: 'balloonHintingStartSchema is the PATCH /balloon/hinting/start body',
  },
  balloonPatchBody: {
    conflict:
      'PATCH /balloon accepts only amount_mib; the doc example also sends stats_polling_interval_s',
    resolution: 'balloonUpdateSchema rejects stats_polling_interval_s',
  },
  loggerDefaultLevel: {
    conflict: 'the default log level is Info; the doc says Warning',
    resolution: 'loggerSchema fills in no level, so Firecracker applies Info',
  },
  driveReadOnly: {
    conflict:
      'is_read_only is optional for virtio-block; the swagger description calls it required',
    resolution: 'driveSchema accepts a virtio-block drive without is_read_only',
  },
  mmdsNotFound: {
    conflict: 'the swagger 404 for GET /mmds never happens (400 instead)',
    resolution: 'not a body rule: @kindling/process maps every error status',
  },
  loggerMetricsAfterBoot: {
    conflict: 'logger and metrics cannot be configured after boot',
    resolution: 'not a body rule: @kindling/vm gates these calls on the VM state',
  },
  guestCidMinimum: {
    conflict: 'the swagger gives guest_cid a minimum of 3; the code accepts any u32',
    resolution:
      'vsockSchema refuses 0-2 to protect users (documented); fullVmConfigurationSchema reports any u32',
  },
  asyncIoEngineHost: {
    conflict:
      "the doc's host >= 5.10.51 requirement for the Async io_engine is not checked by the code",
    resolution: 'driveSchema accepts io_engine "Async" without a host condition',
  },
} as const satisfies Record<string, Section14Conflict>;
