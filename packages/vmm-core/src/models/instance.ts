// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import type { z } from 'zod';
import { denyUnknownFields, responseObject, wireEnum, wireString } from './wire-types.js';

/**
 * The zod schema of the `GET /` response: the instance's id, state and Firecracker version.
 * Unknown fields are kept.
 */
export const instanceInfoSchema = responseObject('InstanceInfo', {
  /** The instance id given by `--id` (default `anonymous-instance`). */
  id: wireString(),
  /** `Not started` until `InstanceStart` or a snapshot load, then `Running` or `Paused`. */
  state: wireEnum(['Not started', 'Running', 'Paused']),
  /** Firecracker's version without a `v`, e.g. `1.16.1`. */
  vmm_version: wireString(),
  /** Always `Firecracker`. */
  app_name: wireString(),
});

/**
 * What `GET /` reports about the Firecracker instance.
 *
 * @interface
 */
export type InstanceInfo = z.infer<typeof instanceInfoSchema>;

/** The zod schema of the `GET /version` response. Unknown fields are kept. */
export const firecrackerVersionSchema = responseObject('FirecrackerVersion', {
  /** Firecracker's version without a `v`: `1.16.1` (`1.17.0-dev` on the unreleased main). */
  firecracker_version: wireString(),
});

/**
 * What `GET /version` reports.
 *
 * @interface
 */
export type FirecrackerVersion = z.infer<typeof firecrackerVersionSchema>;

/**
 * The zod schema of a `PUT /actions` body. Unknown fields are rejected.
 *
 * `InstanceStart` is allowed once, before boot; `FlushMetrics` after boot; `SendCtrlAltDel` after
 * boot on x86_64 only (aarch64 answers `"SendCtrlAltDel does not supported on aarch64."`).
 */
export const instanceActionInfoSchema = denyUnknownFields('InstanceActionInfo', {
  /** The action to perform. */
  action_type: wireEnum(['InstanceStart', 'FlushMetrics', 'SendCtrlAltDel']),
});

/**
 * An action on the instance.
 *
 * @interface
 */
export type InstanceActionInfo = z.infer<typeof instanceActionInfoSchema>;

/**
 * The zod schema of a `PATCH /vm` body (after boot): pause or resume the vCPUs. Idempotent;
 * unknown fields are rejected. A paused VM serves only API calls until resumed.
 */
export const vmStateSchema = denyUnknownFields('Vm', {
  /** `Paused` or `Resumed`. */
  state: wireEnum(['Paused', 'Resumed']),
});

/**
 * A requested change of the microVM's run state.
 *
 * @interface
 */
export type VmStateUpdate = z.infer<typeof vmStateSchema>;
