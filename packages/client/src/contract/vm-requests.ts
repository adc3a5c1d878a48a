// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import {
  balloonSchema,
  bootSourceSchema,
  cpuConfigSchema,
  driveSchema,
  entropyDeviceSchema,
  loggerSchema,
  machineConfigurationSchema,
  memoryHotplugConfigSchema,
  metricsSchema,
  mmdsConfigSchema,
  mmdsContentsSchema,
  networkInterfaceSchema,
  networkOverrideSchema,
  pmemSchema,
  serialSchema,
  vsockSchema,
} from '@kindling/vmm-core';
import { z } from 'zod';
import { labelsSchema, vmIdSchema } from './vm-id.js';

// The server validates request bodies with these very schemas (once): the client sends them as given.

const uintSchema = z.int().nonnegative();

/** Which executor runs the VM's Firecracker: directly, or under the jailer as `uid`:`gid`. */
export const executorRequestSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('unrestricted') }),
  z.strictObject({
    kind: z.literal('jailed'),
    uid: uintSchema,
    gid: uintSchema,
    /** cgroup settings (`cpu.max` → `50000 100000`), as the jailer's `--cgroup` takes them. */
    cgroup: z.record(z.string().regex(/^[a-z_]+\.[a-z_.]+$/u), z.string()).optional(),
  }),
]);

/**
 * A new VM's items as `@kindling/vm` takes them (camelCase keys), each exactly Firecracker's body
 * (vmm-core's models, snake_case as in Firecracker's docs).
 */
export const vmConfigurationRequestSchema = z.strictObject({
  /** `PUT /boot-source`: the kernel, its command line and initrd. */
  bootSource: bootSourceSchema,
  /** `PUT /drives/{id}` for each: root and data drives. */
  drives: z.array(driveSchema).readonly().exactOptional(),
  /** `PUT /pmem/{id}` for each: persistent-memory devices. */
  pmem: z.array(pmemSchema).readonly().exactOptional(),
  /** `PUT /machine-config`: vCPUs, memory, SMT, dirty-page tracking. */
  machineConfig: machineConfigurationSchema.exactOptional(),
  /** `PUT /cpu-config`: a custom CPU template. */
  cpuConfig: cpuConfigSchema.exactOptional(),
  /** `PUT /network-interfaces/{id}` for each: the TAPs on the host. */
  networkInterfaces: z.array(networkInterfaceSchema).readonly().exactOptional(),
  /** `PUT /balloon`: the memory balloon. */
  balloon: balloonSchema.exactOptional(),
  /** `PUT /vsock`: the vsock device and its Unix socket on the host. */
  vsock: vsockSchema.exactOptional(),
  /** `PUT /logger`: Firecracker's log. */
  logger: loggerSchema.exactOptional(),
  /** `PUT /metrics`: Firecracker's metrics file or FIFO. */
  metrics: metricsSchema.exactOptional(),
  /** `PUT /hotplug/memory`: hot-pluggable memory. */
  memoryHotplug: memoryHotplugConfigSchema.exactOptional(),
  /** `PUT /mmds/config`: which interfaces reach the MMDS, and its version. */
  mmdsConfig: mmdsConfigSchema.exactOptional(),
  /** `PUT /mmds`: the MMDS's contents. */
  mmds: mmdsContentsSchema.exactOptional(),
  /** `PUT /entropy`: the virtio-rng device. */
  entropy: entropyDeviceSchema.exactOptional(),
  /** `PUT /serial`: where the serial console writes. */
  serial: serialSchema.exactOptional(),
});

/** What a new VM is made from. */
export const vmSourceRequestSchema = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('config'),
    configuration: vmConfigurationRequestSchema,
  }),
  z.strictObject({
    kind: z.literal('config-file'),
    /** A Firecracker `--config-file` document (kebab-case keys), under the images folder. */
    path: z.string().min(1),
  }),
  z.strictObject({
    kind: z.literal('snapshot'),
    snapshotPath: z.string().min(1),
    memoryPath: z.string().min(1),
    /** Resume the guest once loaded (default true). */
    resume: z.boolean().optional(),
    /** Host TAPs for the snapshot's interfaces (`{ iface_id, host_dev_name }`). */
    networkOverrides: z.array(networkOverrideSchema).readonly().optional(),
  }),
]);

/** The body of `POST /v1/vms`. */
export const createVmRequestSchema = z.strictObject({
  /** The VM's id; the server picks one when omitted. */
  id: vmIdSchema.optional(),
  /** Which executor runs its Firecracker (default: unrestricted, as the server's user). */
  executor: executorRequestSchema.optional(),
  /** What it is made from. */
  source: vmSourceRequestSchema,
  /** Start it at once (default true). */
  start: z.boolean().optional(),
  /** Free-form labels an orchestrator tags it with (its allocation, its pod). */
  labels: labelsSchema.optional(),
});

/** The body of `POST /v1/vms/{id}/snapshots`. */
export const createSnapshotRequestSchema = z.strictObject({
  /** Where to write the snapshot's state file: under the state folder (a relative path goes under `<state>/snapshots`). */
  snapshotPath: z.string().min(1),
  /** Where to write its memory file, under the same rule. */
  memoryPath: z.string().min(1),
  /** `Full` (default) or `Diff` (only the pages written since the last snapshot). */
  type: z.enum(['Full', 'Diff']).optional(),
});

/** The answer of `POST /v1/vms/{id}/snapshots`: the files, as the server resolved them. */
export const snapshotInfoSchema = z.strictObject({
  /** The VM it was taken of. */
  vmId: vmIdSchema,
  /** The state file, as the server resolved it. */
  snapshotPath: z.string(),
  /** The memory file, as the server resolved it. */
  memoryPath: z.string(),
  /** Full or Diff. */
  type: z.enum(['Full', 'Diff']),
});

/** The body of `POST /v1/vms/{id}/stop`. */
export const stopVmRequestSchema = z.strictObject({
  /** How long the shutdown may take in all. */
  timeoutMs: z.int().positive().max(600_000).optional(),
  /** Kill Firecracker at once instead of shutting the guest down. */
  force: z.boolean().optional(),
});

/**
 * What `createVm` sends.
 * @interface
 */
export type CreateVmRequest = z.input<typeof createVmRequestSchema>;
/**
 * Which executor runs a new VM.
 * @useDeclaredType
 */
export type ExecutorRequest = z.input<typeof executorRequestSchema>;
/**
 * A new VM's items.
 * @interface
 */
export type VmConfigurationRequest = z.input<typeof vmConfigurationRequestSchema>;
/**
 * What a new VM is made from.
 * @useDeclaredType
 */
export type VmSourceRequest = z.input<typeof vmSourceRequestSchema>;
/**
 * What `createSnapshot` sends.
 * @interface
 */
export type CreateSnapshotRequest = z.input<typeof createSnapshotRequestSchema>;
/**
 * A snapshot's files, as the server wrote them.
 * @interface
 */
export type SnapshotInfo = z.output<typeof snapshotInfoSchema>;
/**
 * What `stopVm` sends.
 * @interface
 */
export type StopVmRequest = z.input<typeof stopVmRequestSchema>;
