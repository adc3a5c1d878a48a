// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import {
  apiResourceIdSchema,
  balloonHintingStartSchema,
  balloonHintingStatusSchema,
  balloonSchema,
  balloonStatsSchema,
  balloonStatsUpdateSchema,
  balloonUpdateSchema,
  bootSourceSchema,
  cpuConfigSchema,
  driveSchema,
  entropyDeviceSchema,
  firecrackerVersionSchema,
  fullVmConfigurationSchema,
  loggerSchema,
  machineConfigurationSchema,
  memoryHotplugConfigSchema,
  memoryHotplugSizeUpdateSchema,
  memoryHotplugStatusSchema,
  metricsSchema,
  mmdsConfigSchema,
  mmdsContentsSchema,
  networkInterfaceSchema,
  partialDriveSchema,
  partialMachineConfigurationSchema,
  partialNetworkInterfaceSchema,
  partialPmemSchema,
  pmemSchema,
  serialSchema,
  vsockSchema,
} from '@kindling/vmm-core';
import type { WireOutput, WireSchema } from './input-checks.js';
import type { ApiCall } from './send-api-call.js';
import type { VmEndpointMethods } from './vm-endpoint-methods.js';
import type { VmStateRequirement } from './vm-state.js';

/** The argument of an endpoint's method, checked with a vmm-core model before anything is sent. */
export interface VmEndpointInput {
  /** The parameter's name, as error messages show it (`drive.path_on_host: …`). */
  readonly name: string;
  readonly schema: WireSchema;
  /** `body`: sent as the JSON body; `path`: an id that fills the path's `{…}` segment. */
  readonly sentAs: 'body' | 'path';
  /** What an omitted argument means: no body sent, or this value checked and sent. */
  readonly whenOmitted?:
    { readonly kind: 'no-body' } | { readonly kind: 'value'; readonly value: unknown };
}

/**
 * One row of the endpoint table. Why a table: Firecracker's endpoints differ only in these
 * columns, so forty hand-written methods drift apart and the next Firecracker version would be
 * forty edits; here it is a diff of rows (plus a signature in `VmEndpointMethods`, which the
 * compiler checks against the row's models).
 * - `method`, `path`: the request; a `{name}` segment is filled from the body's field `name`
 *   (`/drives/{drive_id}`), or with the argument itself when the input is `sentAs: 'path'`.
 * - `needs`: the states that allow the call (`vm-state.ts`), checked before anything is sent.
 * - `input`: the one argument, if any, and its vmm-core model; `body`: a fixed body instead.
 * - `response`: the model the answer is parsed with; `select` picks what the method returns.
 * - `runState`: the state Firecracker is in once the call succeeded (pause, resume).
 */
export interface VmEndpoint {
  readonly method: ApiCall['method'];
  readonly path: string;
  readonly needs: readonly VmStateRequirement[];
  readonly input?: VmEndpointInput;
  readonly body?: unknown;
  readonly response?: WireSchema;
  readonly select?: (body: never) => unknown;
  readonly runState?: 'running' | 'paused';
}

const PRE_BOOT = ['pre-boot'] as const;
const BOOT_CONFIG = ['boot-configuration'] as const;
const BOOT_CONFIG_OR_HOTPLUG = ['boot-configuration', 'booted'] as const;
const BOOTED = ['booted'] as const;
const ANYTIME = ['process-up'] as const;

const body = <Schema extends WireSchema>(name: string, schema: Schema) =>
  ({ name, schema, sentAs: 'body' }) as const;
const id = (name: string) => ({ name, schema: apiResourceIdSchema, sentAs: 'path' }) as const;

/** Every endpoint of Firecracker v1.16.1 that a typed method of `VmApi` sends, by method name. */
export const VM_ENDPOINTS = {
  getVersion: {
    method: 'GET',
    path: '/version',
    needs: ANYTIME,
    response: firecrackerVersionSchema,
    select: (version: WireOutput<typeof firecrackerVersionSchema>) => version.firecracker_version,
  },
  getVmConfig: {
    method: 'GET',
    path: '/vm/config',
    needs: ANYTIME,
    response: fullVmConfigurationSchema,
  },
  getMachineConfig: {
    method: 'GET',
    path: '/machine-config',
    needs: ANYTIME,
    response: machineConfigurationSchema,
  },
  putMachineConfig: {
    method: 'PUT',
    path: '/machine-config',
    needs: BOOT_CONFIG,
    input: body('config', machineConfigurationSchema),
  },
  patchMachineConfig: {
    method: 'PATCH',
    path: '/machine-config',
    needs: BOOT_CONFIG,
    input: body('update', partialMachineConfigurationSchema),
  },
  putBootSource: {
    method: 'PUT',
    path: '/boot-source',
    needs: BOOT_CONFIG,
    input: body('bootSource', bootSourceSchema),
  },
  putCpuConfig: {
    method: 'PUT',
    path: '/cpu-config',
    needs: PRE_BOOT,
    input: body('config', cpuConfigSchema),
  },
  putDrive: {
    method: 'PUT',
    path: '/drives/{drive_id}',
    needs: BOOT_CONFIG_OR_HOTPLUG,
    input: body('drive', driveSchema),
  },
  patchDrive: {
    method: 'PATCH',
    path: '/drives/{drive_id}',
    needs: BOOTED,
    input: body('update', partialDriveSchema),
  },
  deleteDrive: {
    method: 'DELETE',
    path: '/drives/{drive_id}',
    needs: BOOTED,
    input: id('driveId'),
  },
  putNetworkInterface: {
    method: 'PUT',
    path: '/network-interfaces/{iface_id}',
    needs: BOOT_CONFIG_OR_HOTPLUG,
    input: body('iface', networkInterfaceSchema),
  },
  patchNetworkInterface: {
    method: 'PATCH',
    path: '/network-interfaces/{iface_id}',
    needs: BOOTED,
    input: body('update', partialNetworkInterfaceSchema),
  },
  deleteNetworkInterface: {
    method: 'DELETE',
    path: '/network-interfaces/{iface_id}',
    needs: BOOTED,
    input: id('ifaceId'),
  },
  putPmem: {
    method: 'PUT',
    path: '/pmem/{id}',
    needs: BOOT_CONFIG_OR_HOTPLUG,
    input: body('device', pmemSchema),
  },
  patchPmem: {
    method: 'PATCH',
    path: '/pmem/{id}',
    needs: BOOTED,
    input: body('update', partialPmemSchema),
  },
  deletePmem: { method: 'DELETE', path: '/pmem/{id}', needs: BOOTED, input: id('id') },
  putVsock: {
    method: 'PUT',
    path: '/vsock',
    needs: BOOT_CONFIG,
    input: body('vsock', vsockSchema),
  },
  putEntropy: {
    method: 'PUT',
    path: '/entropy',
    needs: BOOT_CONFIG,
    input: { ...body('device', entropyDeviceSchema), whenOmitted: { kind: 'value', value: {} } },
  },
  putBalloon: {
    method: 'PUT',
    path: '/balloon',
    needs: BOOT_CONFIG,
    input: body('balloon', balloonSchema),
  },
  getBalloon: { method: 'GET', path: '/balloon', needs: ANYTIME, response: balloonSchema },
  patchBalloon: {
    method: 'PATCH',
    path: '/balloon',
    needs: BOOTED,
    input: body('update', balloonUpdateSchema),
  },
  getBalloonStatistics: {
    method: 'GET',
    path: '/balloon/statistics',
    needs: BOOTED,
    response: balloonStatsSchema,
  },
  patchBalloonStatistics: {
    method: 'PATCH',
    path: '/balloon/statistics',
    needs: BOOTED,
    input: body('update', balloonStatsUpdateSchema),
  },
  startBalloonHinting: {
    method: 'PATCH',
    path: '/balloon/hinting/start',
    needs: BOOTED,
    input: { ...body('start', balloonHintingStartSchema), whenOmitted: { kind: 'no-body' } },
  },
  getBalloonHintingStatus: {
    method: 'GET',
    path: '/balloon/hinting/status',
    needs: BOOTED,
    response: balloonHintingStatusSchema,
  },
  stopBalloonHinting: { method: 'PATCH', path: '/balloon/hinting/stop', needs: BOOTED },
  putLogger: {
    method: 'PUT',
    path: '/logger',
    needs: PRE_BOOT,
    input: body('config', loggerSchema),
  },
  putMetrics: {
    method: 'PUT',
    path: '/metrics',
    needs: PRE_BOOT,
    input: body('config', metricsSchema),
  },
  putSerial: {
    method: 'PUT',
    path: '/serial',
    needs: PRE_BOOT,
    input: body('config', serialSchema),
  },
  putMmdsConfig: {
    method: 'PUT',
    path: '/mmds/config',
    needs: BOOT_CONFIG,
    input: body('config', mmdsConfigSchema),
  },
  putMmds: {
    method: 'PUT',
    path: '/mmds',
    needs: ANYTIME,
    input: body('data', mmdsContentsSchema),
  },
  patchMmds: {
    method: 'PATCH',
    path: '/mmds',
    needs: ANYTIME,
    input: body('patch', mmdsContentsSchema),
  },
  putMemoryHotplug: {
    method: 'PUT',
    path: '/hotplug/memory',
    needs: BOOT_CONFIG,
    input: body('config', memoryHotplugConfigSchema),
  },
  getMemoryHotplugStatus: {
    method: 'GET',
    path: '/hotplug/memory',
    needs: BOOTED,
    response: memoryHotplugStatusSchema,
  },
  patchMemoryHotplug: {
    method: 'PATCH',
    path: '/hotplug/memory',
    needs: BOOTED,
    input: body('update', memoryHotplugSizeUpdateSchema),
  },
  flushMetrics: {
    method: 'PUT',
    path: '/actions',
    needs: BOOTED,
    body: { action_type: 'FlushMetrics' },
  },
  pause: {
    method: 'PATCH',
    path: '/vm',
    needs: ['running'],
    body: { state: 'Paused' },
    runState: 'paused',
  },
  resume: {
    method: 'PATCH',
    path: '/vm',
    needs: ['paused'],
    body: { state: 'Resumed' },
    runState: 'running',
  },
} as const satisfies { readonly [Name in keyof VmEndpointMethods]: VmEndpoint };
