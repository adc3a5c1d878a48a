// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { z } from 'zod';
import { apiResourceIdSchema } from './resource-id.js';
import {
  addRuleIssue,
  denyUnknownFields,
  expecting,
  ignoreUnknownFields,
  isSet,
  serdeOption,
  wireBoolean,
  wireEnum,
  wireString,
} from './wire-types.js';

/**
 * The zod schema of a `SnapshotCreateParams` body (`PUT /snapshot/create`, after boot, VM
 * paused). Unknown fields are rejected.
 *
 * The state file is truncated; the memory file is truncated only when its size differs from the
 * guest memory, and otherwise overwritten in place (Full) or written with the dirty pages only
 * (Diff). The API is blocked while the snapshot is written.
 */
export const snapshotCreateParamsSchema = denyUnknownFields('SnapshotCreateParams', {
  /** Host path of the microVM state file to write. */
  snapshot_path: wireString('a path string'),
  /** Host path of the guest memory file to write. */
  mem_file_path: wireString('a path string'),
  /**
   * `Full` (default) or `Diff` (developer preview: only pages dirtied since the last snapshot,
   * from KVM's dirty log with `track_dirty_pages`, else from `mincore`, which needs swap off).
   */
  snapshot_type: wireEnum(['Full', 'Diff']).optional(),
});

/**
 * Where and how to write a snapshot.
 *
 * @interface
 */
export type SnapshotCreateParams = z.infer<typeof snapshotCreateParamsSchema>;

/**
 * The zod schema of a `MemoryBackend` of a snapshot load (unknown fields rejected): `File` maps
 * the memory file, `Uffd` hands page faults to a process listening on a Unix socket.
 */
export const memoryBackendSchema = denyUnknownFields('MemoryBackend', {
  /** `File` or `Uffd`. */
  backend_type: wireEnum(['File', 'Uffd']),
  /**
   * `File`: the guest memory file. `Uffd`: the Unix socket where a process receives the memory
   * layout and the userfaultfd.
   */
  backend_path: wireString('a path string'),
});

/**
 * How a restored microVM gets its memory.
 *
 * @interface
 */
export type MemoryBackend = z.infer<typeof memoryBackendSchema>;

/**
 * The zod schema of a `NetworkOverride` of a snapshot load: a new TAP for a restored interface.
 * Firecracker ignores unknown fields here.
 */
export const networkOverrideSchema = ignoreUnknownFields('NetworkOverride', {
  /** Id of the interface in the snapshot. */
  iface_id: apiResourceIdSchema,
  /** The host TAP device to use instead. */
  host_dev_name: wireString('a TAP device name'),
});

/**
 * A TAP device override for one restored network interface.
 *
 * @interface
 */
export type NetworkOverride = z.infer<typeof networkOverrideSchema>;

/**
 * The zod schema of a `VsockOverride` of a snapshot load: a new `uds_path` for the restored vsock
 * device. Firecracker ignores unknown fields here.
 */
export const vsockOverrideSchema = ignoreUnknownFields('VsockOverride', {
  /** The host Unix socket path to use instead. */
  uds_path: wireString('a path string'),
});

/**
 * A Unix socket path override for the restored vsock device.
 *
 * @interface
 */
export type VsockOverride = z.infer<typeof vsockOverrideSchema>;

/**
 * The zod schema of a `SnapshotLoadParams` body (`PUT /snapshot/load`). Unknown fields are
 * rejected.
 *
 * Exactly one of `mem_backend` and `mem_file_path` (deprecated) is required; Firecracker answers
 * ``"too many fields: either `mem_backend` or `mem_file_path` exclusively is required."`` or
 * ``"missing field: either `mem_backend` or `mem_file_path` is required."``. The load is refused
 * once a boot resource (boot-source, machine-config, drives, network, pmem, vsock, entropy,
 * balloon, mmds/config, hotplug/memory) was configured. A failure inside the restore itself ends
 * the Firecracker process (exit code 1).
 *
 * `huge_pages` exists only in Firecracker newer than v1.16.1, which rejects it as an unknown
 * field.
 */
export const snapshotLoadParamsSchema = denyUnknownFields('SnapshotLoadParams', {
  /** Host path of the microVM state file. */
  snapshot_path: wireString('a path string'),
  /** How to load guest memory; excludes `mem_file_path`. */
  mem_backend: serdeOption(memoryBackendSchema),
  /** Deprecated (adds `Deprecation: true`): the guest memory file; excludes `mem_backend`. */
  mem_file_path: serdeOption(wireString('a path string')),
  /** Track dirty pages in the restored VM, for later diff snapshots. Default false. */
  track_dirty_pages: wireBoolean().optional(),
  /** Deprecated alias of `track_dirty_pages`; `true` adds `Deprecation: true`. */
  enable_diff_snapshots: wireBoolean().optional(),
  /** Resume the VM after loading; otherwise it stays Paused. Default false. */
  resume_vm: wireBoolean().optional(),
  /** New TAP devices for restored interfaces. */
  network_overrides: z.array(networkOverrideSchema, expecting('an array')).optional(),
  /** New Unix socket path for the restored vsock device. */
  vsock_override: serdeOption(vsockOverrideSchema),
  /**
   * x86_64: advance kvmclock by the wall time elapsed since the snapshot (the doc asks for host
   * ≥ 5.16). On aarch64 `true` makes the restore fail, which ends Firecracker. Default false.
   */
  clock_realtime: wireBoolean().optional(),
  /**
   * Newer than v1.16.1 only (v1.16.1 rejects the field): `Snapshot` (default: as recorded),
   * `None`, `Transparent` or `2M`; `2M` needs a `Uffd` memory backend.
   */
  huge_pages: wireEnum(['Snapshot', 'None', 'Transparent', '2M']).optional(),
}).superRefine((params, context) => {
  const hasBackend = isSet(params.mem_backend);
  if (hasBackend && isSet(params.mem_file_path)) {
    addRuleIssue(
      context,
      ['mem_file_path'],
      'must not be set together with mem_backend (Firecracker: "too many fields: either `mem_backend` or `mem_file_path` exclusively is required.")',
      params.mem_file_path,
    );
  } else if (!hasBackend && !isSet(params.mem_file_path)) {
    addRuleIssue(
      context,
      ['mem_backend'],
      'is required unless mem_file_path is set (Firecracker: "missing field: either `mem_backend` or `mem_file_path` is required.")',
      params.mem_backend,
    );
  }
  if (params.huge_pages === '2M' && params.mem_backend?.backend_type !== 'Uffd') {
    addRuleIssue(
      context,
      ['huge_pages'],
      'can be "2M" only with a mem_backend of backend_type "Uffd"',
      params.huge_pages,
    );
  }
});

/**
 * How to restore a microVM from a snapshot.
 *
 * @interface
 */
export type SnapshotLoadParams = z.infer<typeof snapshotLoadParamsSchema>;
