// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

// The Firecracker v1.16.1 API models: one zod schema per request and response body, with its
// inferred type. Wire names are Firecracker's (snake_case inside, kebab-case at the top of the
// config file). No schema fills in defaults: parsing returns what was given, so a request carries
// only the fields its author wrote and Firecracker applies its own defaults.

/** API resource ids (`drive_id`, `iface_id`, pmem `id`): Unicode alphanumerics and `_`. */
export { apiResourceIdSchema, type ApiResourceId } from './resource-id.js';

/** Rate limiters and their token buckets (drives, network interfaces, pmem, entropy, serial). */
export {
  rateLimiterSchema,
  tokenBucketSchema,
  type RateLimiter,
  type TokenBucket,
} from './rate-limiter.js';

/** `PUT /boot-source`: the kernel, initrd and command line. */
export {
  BOOT_ARGS_MAX_BYTES,
  DEFAULT_BOOT_ARGS,
  bootSourceSchema,
  type BootSource,
} from './boot-source.js';

/** `GET`, `PUT` and `PATCH /machine-config`: vCPUs, memory, SMT, huge pages, static templates. */
export {
  DEFAULT_MEM_SIZE_MIB,
  MAX_VCPU_COUNT,
  hugePagesSchema,
  machineConfigurationSchema,
  partialMachineConfigurationSchema,
  staticCpuTemplateSchema,
  type HugePages,
  type MachineConfiguration,
  type PartialMachineConfiguration,
  type StaticCpuTemplate,
} from './machine-config.js';

/** `PUT /cpu-config`: a custom CPU template and its x86_64 and aarch64 modifiers. */
export {
  armRegisterModifierSchema,
  cpuConfigSchema,
  cpuidLeafModifierSchema,
  cpuidRegisterModifierSchema,
  msrModifierSchema,
  vcpuFeaturesSchema,
  type ArmRegisterModifier,
  type CpuConfig,
  type CpuidLeafModifier,
  type CpuidRegisterModifier,
  type MsrModifier,
  type VcpuFeatures,
} from './cpu-config.js';

/** `PUT` and `PATCH /drives/{drive_id}`: virtio-block and vhost-user-block drives. */
export { driveSchema, partialDriveSchema, type Drive, type PartialDrive } from './drives.js';

/** `PUT` and `PATCH /network-interfaces/{iface_id}`: virtio-net over a TAP device. */
export {
  guestMacSchema,
  networkInterfaceSchema,
  partialNetworkInterfaceSchema,
  type NetworkInterface,
  type PartialNetworkInterface,
} from './network.js';

/** `PUT` and `PATCH /pmem/{id}`: virtio-pmem devices. */
export { partialPmemSchema, pmemSchema, type PartialPmem, type Pmem } from './pmem.js';

/** `PUT /vsock`: the virtio-vsock device (Kindling refuses the reserved guest CIDs 0–2). */
export { MIN_GUEST_CID, vsockSchema, type Vsock } from './vsock.js';

/** `PUT /entropy`: the virtio-rng device. */
export { entropyDeviceSchema, type EntropyDevice } from './entropy.js';

/** `/balloon`, `/balloon/statistics` and `/balloon/hinting/*`: the balloon device. */
export {
  balloonHintingStartSchema,
  balloonHintingStatusSchema,
  balloonSchema,
  balloonStatsSchema,
  balloonStatsUpdateSchema,
  balloonUpdateSchema,
  type Balloon,
  type BalloonHintingStart,
  type BalloonHintingStatus,
  type BalloonStats,
  type BalloonStatsUpdate,
  type BalloonUpdate,
} from './balloon.js';

/** `PUT /logger`: Firecracker's own log. */
export {
  LOGGER_LEVELS,
  loggerLevelSchema,
  loggerSchema,
  type LoggerConfig,
  type LoggerLevel,
} from './logger.js';

/** `PUT /metrics`: Firecracker's NDJSON metrics output. */
export { metricsSchema, type MetricsConfig } from './metrics.js';
/** Every group and field Firecracker v1.16.1 writes to its metrics, with its kind, in order. */
export { FIRECRACKER_METRIC_KINDS, type MetricKind } from './metrics-fields.js';

/** `PUT /serial`: where the guest's serial output goes. */
export { serialSchema, type SerialConfig } from './serial.js';

/** `PUT /mmds/config` and `/mmds`: the microVM metadata service and its data store. */
export {
  DEFAULT_MMDS_IPV4_ADDRESS,
  mmdsConfigSchema,
  mmdsContentsSchema,
  type MmdsConfig,
  type MmdsContents,
} from './mmds.js';

/** `/hotplug/memory`: the hot-pluggable (virtio-mem) memory region. */
export {
  DEFAULT_HOTPLUG_BLOCK_SIZE_MIB,
  DEFAULT_HOTPLUG_SLOT_SIZE_MIB,
  memoryHotplugConfigSchema,
  memoryHotplugSizeUpdateSchema,
  memoryHotplugStatusSchema,
  type MemoryHotplugConfig,
  type MemoryHotplugSizeUpdate,
  type MemoryHotplugStatus,
} from './memory-hotplug.js';

/** `PUT /snapshot/create` and `PUT /snapshot/load`, with the load's backend and overrides. */
export {
  memoryBackendSchema,
  networkOverrideSchema,
  snapshotCreateParamsSchema,
  snapshotLoadParamsSchema,
  vsockOverrideSchema,
  type MemoryBackend,
  type NetworkOverride,
  type SnapshotCreateParams,
  type SnapshotLoadParams,
  type VsockOverride,
} from './snapshot.js';

/** `GET /`, `GET /version`, `PUT /actions` and `PATCH /vm`. */
export {
  firecrackerVersionSchema,
  instanceActionInfoSchema,
  instanceInfoSchema,
  vmStateSchema,
  type FirecrackerVersion,
  type InstanceActionInfo,
  type InstanceInfo,
  type VmStateUpdate,
} from './instance.js';

/** `GET /vm/config`: the whole configuration as Firecracker reports it. */
export { fullVmConfigurationSchema, type FullVmConfiguration } from './vm-config.js';

/** The `--config-file` document, with the rules that relate its items. */
export { vmmConfigFileSchema, type VmmConfigFile } from './config-file.js';

/** The fields newer than v1.16.1 that the models accept, and what v1.16.1 does with them. */
export { FIRECRACKER_HEAD_ONLY_FIELDS, type HeadOnlyField } from './head-only.js';
