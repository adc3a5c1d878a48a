// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

/** The error every vmm-core function throws, with a stable `code` from `VmmCoreErrorCode`. */
export { VmmCoreError, type VmmCoreErrorCode } from './errors.js';
/**
 * The base of every Kindling error and its check, from `@kindling/spawner`: re-exported so that a
 * package built on vmm-core alone (`@kindling/client`) raises Kindling errors too.
 */
export { KindlingError, isKindlingError } from '@kindling/spawner';
/** Parses a value with a zod schema or throws `ERR_INVALID_INPUT` naming each bad field. */
export { parseWithSchema } from './validation.js';

/** A VMM instance id: 1–64 UTF-8 bytes of Unicode alphanumerics or `-`, Firecracker's own rule. */
export {
  DEFAULT_VMM_ID,
  VMM_ID_MAX_BYTES,
  VMM_ID_MIN_BYTES,
  findVmmIdProblem,
  generateVmmId,
  isVmmId,
  parseVmmId,
  vmmIdSchema,
  type VmmId,
} from './id/vmm-id.js';

/** The flag tables of `firecracker` and `jailer` v1.16.1: one source for emitting and parsing argv. */
export {
  FIRECRACKER_FLAGS,
  JAILER_FLAGS,
  findFlag,
  type FlagKind,
  type FlagSpec,
  type FlagValueType,
} from './arguments/flags.js';
/** The validated command line of `firecracker`: every flag once, as separate argv entries. */
export {
  VmmArguments,
  type ResolvedVmmArgumentsOptions,
  type VmmArgumentsChanges,
  type VmmArgumentsOptions,
  type VmmArgumentsToArgsOptions,
} from './arguments/vmm-arguments.js';
/** The validated command line of `jailer`, followed by `--` and the VMM arguments. */
export {
  JailerArguments,
  type JailerArgumentsOptions,
  type ResolvedJailerArgumentsOptions,
} from './arguments/jailer-arguments.js';
/** A Firecracker log level for `--level` (`Off`, `Trace`, `Debug`, `Info`, `Warn`/`Warning`, `Error`). */
export type { VmmLogLevel } from './arguments/argument-values.js';

/** A command about to be spawned, and the modifiers that rewrite it (applied in order). */
export {
  applyCommandModifiers,
  type Command,
  type CommandModifier,
} from './command/command-modifier.js';
/** A `CommandModifier` that runs the command inside a named network namespace (`ip netns exec`). */
export {
  DEFAULT_IPROUTE2_PATH,
  NetnsModifier,
  type NetnsModifierOptions,
} from './command/netns-modifier.js';

/** The `firecracker`, `jailer` and `snapshot-editor` binaries of a release: verify or download. */
export {
  VmmInstallation,
  type VerifyInstallationOptions,
  type VmmInstallationPaths,
} from './installation/vmm-installation.js';
/** Checks one binary of an installation without running it (missing, not executable). */
export { checkVmmBinaryFile } from './installation/verify-binary.js';
export type { VmmBinary } from './installation/version-output.js';
/** Options and progress of `VmmInstallation.download`, and where official releases live. */
export {
  OFFICIAL_RELEASES_URL,
  type DownloadProgress,
  type DownloadReleaseOptions,
  type ReleaseArch,
} from './installation/download-release.js';

/** Who owns a VMM's files, and the helpers that change their owner. */
export {
  downgradeOwner,
  type DowngradeOwnerOptions,
  getDowngradeOwner,
  getProcessOwner,
  isUpgradedOwnership,
  type Owner,
  type OwnershipModel,
  ownershipModelSchema,
  parseOwnershipModel,
  upgradeOwner,
  type UpgradeOwnerOptions,
} from './ownership/index.js';
/** The resource system: files a VMM uses, created, moved or produced, from start to disposal. */
export {
  carryOutDisposalPlan,
  type CreatedFileType,
  disposalPlanSchema,
  type DisposalOutcome,
  type DisposalPlan,
  EMPTY_DISPOSAL_PLAN,
  type InitializeResourceOptions,
  type MoveMethod,
  planDisposal,
  Resource,
  type ResourceCallOptions,
  type ResourceState,
  ResourceSystem,
  type ResourceSystemOptions,
  type ResourceTarget,
  type ResourceType,
  resourceTypeSchema,
} from './resources/index.js';
/** The Firecracker v1.16.1 API models as zod schemas, with their TypeScript types. */
export {
  type ApiResourceId,
  apiResourceIdSchema,
  type ArmRegisterModifier,
  armRegisterModifierSchema,
  type Balloon,
  type BalloonHintingStart,
  balloonHintingStartSchema,
  type BalloonHintingStatus,
  balloonHintingStatusSchema,
  balloonSchema,
  type BalloonStats,
  balloonStatsSchema,
  type BalloonStatsUpdate,
  balloonStatsUpdateSchema,
  type BalloonUpdate,
  balloonUpdateSchema,
  BOOT_ARGS_MAX_BYTES,
  type BootSource,
  bootSourceSchema,
  type CpuConfig,
  cpuConfigSchema,
  type CpuidLeafModifier,
  cpuidLeafModifierSchema,
  type CpuidRegisterModifier,
  cpuidRegisterModifierSchema,
  DEFAULT_BOOT_ARGS,
  DEFAULT_HOTPLUG_BLOCK_SIZE_MIB,
  DEFAULT_HOTPLUG_SLOT_SIZE_MIB,
  DEFAULT_MEM_SIZE_MIB,
  DEFAULT_MMDS_IPV4_ADDRESS,
  type Drive,
  driveSchema,
  type EntropyDevice,
  entropyDeviceSchema,
  FIRECRACKER_HEAD_ONLY_FIELDS,
  type FirecrackerVersion,
  FIRECRACKER_METRIC_KINDS,
  firecrackerVersionSchema,
  type FullVmConfiguration,
  fullVmConfigurationSchema,
  guestMacSchema,
  type HeadOnlyField,
  type HugePages,
  hugePagesSchema,
  type InstanceActionInfo,
  instanceActionInfoSchema,
  type InstanceInfo,
  instanceInfoSchema,
  LOGGER_LEVELS,
  type LoggerConfig,
  type LoggerLevel,
  loggerLevelSchema,
  loggerSchema,
  type MachineConfiguration,
  machineConfigurationSchema,
  MAX_VCPU_COUNT,
  type MemoryBackend,
  memoryBackendSchema,
  type MemoryHotplugConfig,
  memoryHotplugConfigSchema,
  type MemoryHotplugSizeUpdate,
  memoryHotplugSizeUpdateSchema,
  type MemoryHotplugStatus,
  memoryHotplugStatusSchema,
  type MetricKind,
  type MetricsConfig,
  metricsSchema,
  MIN_GUEST_CID,
  type MmdsConfig,
  mmdsConfigSchema,
  type MmdsContents,
  mmdsContentsSchema,
  type MsrModifier,
  msrModifierSchema,
  type NetworkInterface,
  networkInterfaceSchema,
  type NetworkOverride,
  networkOverrideSchema,
  type PartialDrive,
  partialDriveSchema,
  type PartialMachineConfiguration,
  partialMachineConfigurationSchema,
  type PartialNetworkInterface,
  partialNetworkInterfaceSchema,
  type PartialPmem,
  partialPmemSchema,
  type Pmem,
  pmemSchema,
  type RateLimiter,
  rateLimiterSchema,
  type SerialConfig,
  serialSchema,
  type SnapshotCreateParams,
  snapshotCreateParamsSchema,
  type SnapshotLoadParams,
  snapshotLoadParamsSchema,
  type StaticCpuTemplate,
  staticCpuTemplateSchema,
  type TokenBucket,
  tokenBucketSchema,
  type VcpuFeatures,
  vcpuFeaturesSchema,
  type VmmConfigFile,
  vmmConfigFileSchema,
  vmStateSchema,
  type VmStateUpdate,
  type Vsock,
  type VsockOverride,
  vsockOverrideSchema,
  vsockSchema,
} from './models/index.js';
