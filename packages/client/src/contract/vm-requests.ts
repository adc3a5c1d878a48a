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

// Request bodies are typed here and validated by the server, once: the client sends them as given.

const uintSchema = z.number().int().nonnegative();

/** Which executor runs the VM's Firecracker: directly, or under the jailer as `uid`:`gid`. */
export const executorRequestSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('unrestricted') }),
  z.strictObject({
    kind: z.literal('jailed'),
    uid: uintSchema,
    gid: uintSchema,
    /** cgroup settings (`cpu.max` → `50000 100000`), as the jailer's `--cgroup` takes them. */
    cgroup: z.record(z.string(), z.string()).optional(),
  }),
]);

/**
 * A new VM's items as `@kindling/vm` takes them (camelCase keys), each exactly Firecracker's body
 * (vmm-core's models, snake_case as in Firecracker's docs).
 */
export const vmConfigurationRequestSchema = z.strictObject({
  bootSource: bootSourceSchema,
  drives: z.array(driveSchema).readonly().optional(),
  pmem: z.array(pmemSchema).readonly().optional(),
  machineConfig: machineConfigurationSchema.optional(),
  cpuConfig: cpuConfigSchema.optional(),
  networkInterfaces: z.array(networkInterfaceSchema).readonly().optional(),
  balloon: balloonSchema.optional(),
  vsock: vsockSchema.optional(),
  logger: loggerSchema.optional(),
  metrics: metricsSchema.optional(),
  memoryHotplug: memoryHotplugConfigSchema.optional(),
  mmdsConfig: mmdsConfigSchema.optional(),
  mmds: mmdsContentsSchema.optional(),
  entropy: entropyDeviceSchema.optional(),
  serial: serialSchema.optional(),
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
    path: z.string(),
  }),
  z.strictObject({
    kind: z.literal('snapshot'),
    snapshotPath: z.string(),
    memoryPath: z.string(),
    /** Resume the guest once loaded (default true). */
    resume: z.boolean().optional(),
    /** Host TAPs for the snapshot's interfaces (`{ iface_id, host_dev_name }`). */
    networkOverrides: z.array(networkOverrideSchema).readonly().optional(),
  }),
]);

/** The body of `POST /v1/vms`. */
export const createVmRequestSchema = z.strictObject({
  /** The VM's id; the server picks one when omitted. */
  id: z.string().optional(),
  executor: executorRequestSchema.optional(),
  source: vmSourceRequestSchema,
  /** Start it at once (default true). */
  start: z.boolean().optional(),
  labels: z.record(z.string(), z.string()).optional(),
});

/** The body of `POST /v1/vms/{id}/snapshots`. */
export const createSnapshotRequestSchema = z.strictObject({
  snapshotPath: z.string(),
  memoryPath: z.string(),
  type: z.enum(['Full', 'Diff']).optional(),
});

/** The answer of `POST /v1/vms/{id}/snapshots`: the files, as the server resolved them. */
export const snapshotInfoSchema = z.looseObject({
  vmId: z.string(),
  snapshotPath: z.string(),
  memoryPath: z.string(),
  type: z.enum(['Full', 'Diff']),
});

/** The body of `POST /v1/vms/{id}/stop`. */
export const stopVmRequestSchema = z.strictObject({
  /** How long the shutdown may take in all. */
  timeoutMs: z.number().int().positive().optional(),
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
