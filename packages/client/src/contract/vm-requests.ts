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
  bootSource: bootSourceSchema,
  drives: z.array(driveSchema).readonly().exactOptional(),
  pmem: z.array(pmemSchema).readonly().exactOptional(),
  machineConfig: machineConfigurationSchema.exactOptional(),
  cpuConfig: cpuConfigSchema.exactOptional(),
  networkInterfaces: z.array(networkInterfaceSchema).readonly().exactOptional(),
  balloon: balloonSchema.exactOptional(),
  vsock: vsockSchema.exactOptional(),
  logger: loggerSchema.exactOptional(),
  metrics: metricsSchema.exactOptional(),
  memoryHotplug: memoryHotplugConfigSchema.exactOptional(),
  mmdsConfig: mmdsConfigSchema.exactOptional(),
  mmds: mmdsContentsSchema.exactOptional(),
  entropy: entropyDeviceSchema.exactOptional(),
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
  executor: executorRequestSchema.optional(),
  source: vmSourceRequestSchema,
  /** Start it at once (default true). */
  start: z.boolean().optional(),
  labels: labelsSchema.optional(),
});

/** The body of `POST /v1/vms/{id}/snapshots`. */
export const createSnapshotRequestSchema = z.strictObject({
  snapshotPath: z.string().min(1),
  memoryPath: z.string().min(1),
  type: z.enum(['Full', 'Diff']).optional(),
});

/** The answer of `POST /v1/vms/{id}/snapshots`: the files, as the server resolved them. */
export const snapshotInfoSchema = z.strictObject({
  vmId: vmIdSchema,
  snapshotPath: z.string(),
  memoryPath: z.string(),
  type: z.enum(['Full', 'Diff']),
});

/** The body of `POST /v1/vms/{id}/stop`. */
export const stopVmRequestSchema = z.strictObject({
  /** How long the shutdown may take in all. */
  timeoutMs: z.int().positive().max(600_000).optional(),
  /** Kill Firecracker at once instead of shutting the guest down. */
  force: z.boolean().optional(),
});

/** What `createVm` sends. */
export type CreateVmRequest = z.input<typeof createVmRequestSchema>;
/** Which executor runs a new VM. */
export type ExecutorRequest = z.input<typeof executorRequestSchema>;
/** A new VM's items. */
export type VmConfigurationRequest = z.input<typeof vmConfigurationRequestSchema>;
/** What a new VM is made from. */
export type VmSourceRequest = z.input<typeof vmSourceRequestSchema>;
/** What `createSnapshot` sends. */
export type CreateSnapshotRequest = z.input<typeof createSnapshotRequestSchema>;
/** A snapshot's files, as the server wrote them. */
export type SnapshotInfo = z.output<typeof snapshotInfoSchema>;
/** What `stopVm` sends. */
export type StopVmRequest = z.input<typeof stopVmRequestSchema>;
