// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import * as models from '../src/models/index.js';
import type { ModelMapping } from './openapi-compare.js';

/** Which zod schema answers to which definition of the spec. */
export const MODEL_MAPPINGS: readonly ModelMapping[] = [
  {
    name: 'ArmRegisterModifier',
    definition: 'ArmRegisterModifier',
    schema: models.armRegisterModifierSchema,
  },
  { name: 'Balloon', definition: 'Balloon', schema: models.balloonSchema },
  {
    name: 'BalloonHintingStatus',
    definition: 'BalloonHintingStatus',
    schema: models.balloonHintingStatusSchema,
  },
  {
    name: 'BalloonStartCmd',
    definition: 'BalloonStartCmd',
    schema: models.balloonHintingStartSchema,
  },
  { name: 'BalloonStats', definition: 'BalloonStats', schema: models.balloonStatsSchema },
  {
    name: 'BalloonStatsUpdate',
    definition: 'BalloonStatsUpdate',
    schema: models.balloonStatsUpdateSchema,
  },
  { name: 'BalloonUpdate', definition: 'BalloonUpdate', schema: models.balloonUpdateSchema },
  { name: 'BootSource', definition: 'BootSource', schema: models.bootSourceSchema },
  { name: 'CpuConfig', definition: 'CpuConfig', schema: models.cpuConfigSchema },
  { name: 'CpuTemplate', definition: 'CpuTemplate', schema: models.staticCpuTemplateSchema },
  {
    name: 'CpuidLeafModifier',
    definition: 'CpuidLeafModifier',
    schema: models.cpuidLeafModifierSchema,
  },
  {
    name: 'CpuidRegisterModifier',
    definition: 'CpuidRegisterModifier',
    schema: models.cpuidRegisterModifierSchema,
  },
  { name: 'Drive', definition: 'Drive', schema: models.driveSchema },
  { name: 'EntropyDevice', definition: 'EntropyDevice', schema: models.entropyDeviceSchema },
  {
    name: 'FirecrackerVersion',
    definition: 'FirecrackerVersion',
    schema: models.firecrackerVersionSchema,
  },
  {
    name: 'FullVmConfiguration',
    definition: 'FullVmConfiguration',
    schema: models.fullVmConfigurationSchema,
  },
  {
    name: 'InstanceActionInfo',
    definition: 'InstanceActionInfo',
    schema: models.instanceActionInfoSchema,
  },
  { name: 'InstanceInfo', definition: 'InstanceInfo', schema: models.instanceInfoSchema },
  { name: 'Logger', definition: 'Logger', schema: models.loggerSchema },
  {
    name: 'MachineConfiguration',
    definition: 'MachineConfiguration',
    schema: models.machineConfigurationSchema,
  },
  // The spec's PATCH /machine-config takes the PUT body; Firecracker reads MachineConfigUpdate.
  {
    name: 'MachineConfiguration (PATCH)',
    definition: 'MachineConfiguration',
    schema: models.partialMachineConfigurationSchema,
  },
  { name: 'MemoryBackend', definition: 'MemoryBackend', schema: models.memoryBackendSchema },
  {
    name: 'MemoryHotplugConfig',
    definition: 'MemoryHotplugConfig',
    schema: models.memoryHotplugConfigSchema,
  },
  {
    name: 'MemoryHotplugSizeUpdate',
    definition: 'MemoryHotplugSizeUpdate',
    schema: models.memoryHotplugSizeUpdateSchema,
  },
  {
    name: 'MemoryHotplugStatus',
    definition: 'MemoryHotplugStatus',
    schema: models.memoryHotplugStatusSchema,
  },
  { name: 'Metrics', definition: 'Metrics', schema: models.metricsSchema },
  { name: 'MmdsConfig', definition: 'MmdsConfig', schema: models.mmdsConfigSchema },
  {
    name: 'MmdsContentsObject',
    definition: 'MmdsContentsObject',
    schema: models.mmdsContentsSchema,
  },
  { name: 'MsrModifier', definition: 'MsrModifier', schema: models.msrModifierSchema },
  {
    name: 'NetworkInterface',
    definition: 'NetworkInterface',
    schema: models.networkInterfaceSchema,
  },
  { name: 'NetworkOverride', definition: 'NetworkOverride', schema: models.networkOverrideSchema },
  { name: 'PartialDrive', definition: 'PartialDrive', schema: models.partialDriveSchema },
  {
    name: 'PartialNetworkInterface',
    definition: 'PartialNetworkInterface',
    schema: models.partialNetworkInterfaceSchema,
  },
  { name: 'PartialPmem', definition: 'PartialPmem', schema: models.partialPmemSchema },
  { name: 'Pmem', definition: 'Pmem', schema: models.pmemSchema },
  { name: 'RateLimiter', definition: 'RateLimiter', schema: models.rateLimiterSchema },
  { name: 'SerialDevice', definition: 'SerialDevice', schema: models.serialSchema },
  {
    name: 'SnapshotCreateParams',
    definition: 'SnapshotCreateParams',
    schema: models.snapshotCreateParamsSchema,
  },
  {
    name: 'SnapshotLoadParams',
    definition: 'SnapshotLoadParams',
    schema: models.snapshotLoadParamsSchema,
  },
  { name: 'TokenBucket', definition: 'TokenBucket', schema: models.tokenBucketSchema },
  { name: 'VcpuFeatures', definition: 'VcpuFeatures', schema: models.vcpuFeaturesSchema },
  { name: 'Vm', definition: 'Vm', schema: models.vmStateSchema },
  { name: 'Vsock', definition: 'Vsock', schema: models.vsockSchema },
  { name: 'VsockOverride', definition: 'VsockOverride', schema: models.vsockOverrideSchema },
  // The spec has no config-file definition; its keys are those of FullVmConfiguration.
  { name: 'config file', definition: 'FullVmConfiguration', schema: models.vmmConfigFileSchema },
];

/** Spec definitions that no vmm-core model answers to, and why. */
export const UNMAPPED_DEFINITIONS: Readonly<Record<string, string>> = {
  Error: 'the {"fault_message"} error body is parsed by @kindling/process with the API client',
};

/** Exported schemas that no spec definition describes on its own, and where they are checked. */
export const SCHEMAS_WITHOUT_DEFINITION: Readonly<Record<string, string>> = {
  apiResourceIdSchema:
    'ids are path parameters; the spec gives them no rule (firecracker.md section 1)',
  guestMacSchema: 'checked as NetworkInterface.guest_mac',
  hugePagesSchema: 'checked as MachineConfiguration.huge_pages',
  loggerLevelSchema: 'checked as Logger.level',
};
