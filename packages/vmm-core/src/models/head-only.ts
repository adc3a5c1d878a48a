// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

/** A field (or enum value) that the models accept but Firecracker v1.16.1 does not know. */
export interface HeadOnlyField {
  /** The model, by its OpenAPI definition name (e.g. `SnapshotLoadParams`). */
  readonly definition: string;
  /** The wire name of the field. */
  readonly field: string;
  /** Set when the field exists at v1.16.1 and only this enum value is new. */
  readonly value?: string;
  /** What v1.16.1 does with it: answer 400 (`rejected`) or drop it silently (`ignored`). */
  readonly atV1161: 'rejected' | 'ignored';
}

/**
 * The additions of Firecracker's unreleased main branch (1.17.0-dev) that the models accept as
 * optional, so that Kindling also drives a newer Firecracker. Against v1.16.1 each one is refused
 * with a 400 or silently ignored, as `atV1161` says; a caller that knows the installed version
 * can check a request against this list, and an emulator of v1.16.1 can refuse what it refuses.
 */
export const FIRECRACKER_HEAD_ONLY_FIELDS: readonly HeadOnlyField[] = [
  {
    definition: 'MachineConfiguration',
    field: 'huge_pages',
    value: 'Transparent',
    atV1161: 'rejected',
  },
  { definition: 'SnapshotLoadParams', field: 'huge_pages', atV1161: 'rejected' },
  { definition: 'Metrics', field: 'emit_id', atV1161: 'ignored' },
  { definition: 'Metrics', field: 'properties', atV1161: 'ignored' },
];
