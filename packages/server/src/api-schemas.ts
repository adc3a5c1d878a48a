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

// The route schemas of the API: Fastify validates with them and the OpenAPI document is generated
// from them, so the contract has one source. Firecracker's bodies are vmm-core's own models.

/** A VM's id on this server: also a file name in the state folder, so ASCII letters, digits, "-". */
export const vmIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9-]{0,63}$/u, {
    error: 'expected 1 to 64 ASCII letters, digits or "-", not starting with "-"',
  })
  .meta({ description: "A VM's id on this server (also Firecracker's --id)" });

/** Free-form labels an orchestrator tags a VM with (its allocation, its pod). */
export const labelsSchema = z
  .record(z.string().regex(/^[A-Za-z0-9._/-]{1,128}$/u), z.string().max(1024))
  .refine((labels) => Object.keys(labels).length <= 64, { error: 'at most 64 labels' });

/** A new VM's items, camelCase keys as `@kindling/vm` takes them, each Firecracker's own body. */
export const vmConfigurationSchema = z.strictObject({
  bootSource: bootSourceSchema,
  drives: z.array(driveSchema).exactOptional(),
  pmem: z.array(pmemSchema).exactOptional(),
  machineConfig: machineConfigurationSchema.exactOptional(),
  cpuConfig: cpuConfigSchema.exactOptional(),
  networkInterfaces: z.array(networkInterfaceSchema).exactOptional(),
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

/** How Firecracker runs: as the server's user, or under the jailer as another. */
export const executorSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('unrestricted') }),
  z.strictObject({
    kind: z.literal('jailed'),
    uid: z.int().nonnegative(),
    gid: z.int().nonnegative(),
    /** cgroup settings (`cpu.max`: `50000 100000`), passed to the jailer's `--cgroup`. */
    cgroup: z.record(z.string().regex(/^[a-z_]+\.[a-z_.]+$/u), z.string()).optional(),
  }),
]);

/** What a VM is made from. */
export const vmSourceSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('config'), configuration: vmConfigurationSchema }),
  z.strictObject({
    kind: z.literal('config-file'),
    /** A Firecracker `--config-file` document (kebab-case keys), under the images folder. */
    path: z.string().min(1),
  }),
  z.strictObject({
    kind: z.literal('snapshot'),
    snapshotPath: z.string().min(1),
    memoryPath: z.string().min(1),
    /** Resume the VM after loading it (default true: a restored VM is otherwise paused). */
    resume: z.boolean().optional(),
    networkOverrides: z.array(networkOverrideSchema).optional(),
  }),
]);

/** `POST /v1/vms`. */
export const createVmBodySchema = z.strictObject({
  id: vmIdSchema.optional(),
  executor: executorSchema.optional(),
  source: vmSourceSchema,
  /** Start it at once (default true); otherwise it waits, prepared, in `not-started`. */
  start: z.boolean().optional(),
  labels: labelsSchema.optional(),
});

/** The states a VM is in, as `@kindling/vm` names them. */
export const vmStateSchema = z.enum(['not-started', 'running', 'paused', 'exited', 'crashed']);

/** How a VM's process ended. */
export const vmExitSchema = z.strictObject({
  code: z.int().optional(),
  signal: z.string().optional(),
  /** `exited`, `signaled`, or `unknown` (a jailed or re-adopted VM's status cannot be seen). */
  reason: z.enum(['exited', 'signaled', 'unknown']),
});

/** What the server says of one VM. */
export const vmInfoSchema = z.strictObject({
  id: vmIdSchema,
  state: vmStateSchema,
  pid: z.int().optional(),
  createdAt: z.string(),
  labels: z.record(z.string(), z.string()),
  source: z.enum(['config', 'config-file', 'snapshot']),
  apiSocket: z.string().optional(),
  jailed: z.boolean(),
  /** Found running when the server started, and taken over (the typed routes work on it). */
  adopted: z.boolean(),
  exit: vmExitSchema.optional(),
});

export const vmListSchema = z.strictObject({ vms: z.array(vmInfoSchema) });

export const vmParamsSchema = z.strictObject({ id: vmIdSchema });

/** `POST /v1/vms/:id/snapshots`: paths under the state (or images) folder; relative ones under `<state>/snapshots`. */
export const createSnapshotBodySchema = z.strictObject({
  snapshotPath: z.string().min(1),
  memoryPath: z.string().min(1),
  type: z.enum(['Full', 'Diff']).optional(),
});

export const snapshotInfoSchema = z.strictObject({
  vmId: vmIdSchema,
  snapshotPath: z.string(),
  memoryPath: z.string(),
  type: z.enum(['Full', 'Diff']),
});

/** `POST /v1/vms/:id/stop`: Ctrl+Alt+Del for `timeoutMs` then a kill, or a kill at once. */
export const stopVmBodySchema = z
  .strictObject({
    timeoutMs: z.int().positive().max(600_000).optional(),
    force: z.boolean().optional(),
  })
  .optional();

export const healthSchema = z.strictObject({
  version: z.string(),
  vms: z.int().nonnegative(),
  uptimeMs: z.number().nonnegative(),
  /** What the server found in its state folder when it started. */
  recovered: z.strictObject({
    adopted: z.array(vmIdSchema),
    cleanedUp: z.array(vmIdSchema),
  }),
});

/** Every error answer. */
export const errorBodySchema = z.strictObject({
  error: z.strictObject({
    code: z.string(),
    message: z.string(),
    field: z.string().optional(),
  }),
});

/** One event of `GET /v1/events`: a VM's state changed, or it was created or deleted. */
export const vmEventSchema = z.strictObject({
  id: vmIdSchema,
  state: z.union([vmStateSchema, z.literal('deleted')]),
  previousState: z.union([vmStateSchema, z.literal('deleted')]).optional(),
  at: z.string(),
  reason: z.string().optional(),
});

export type VmInfo = z.infer<typeof vmInfoSchema>;
export type VmEvent = z.infer<typeof vmEventSchema>;
export type CreateVmBody = z.infer<typeof createVmBodySchema>;
export type VmConfigurationBody = z.infer<typeof vmConfigurationSchema>;
export type VmSource = z.infer<typeof vmSourceSchema>;
export type ExecutorBody = z.infer<typeof executorSchema>;
export type CreateSnapshotBody = z.infer<typeof createSnapshotBodySchema>;
export type StopVmBody = z.infer<typeof stopVmBodySchema>;
