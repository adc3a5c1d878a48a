// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

/** A Firecracker microVM: prepare, start, the whole API, snapshots, restore, shutdown, cleanup. */
export { Vm } from './vm.js';
/** A `Vm`'s state, events and typed, state-checked API methods; `getMmds` options. */
export {
  VmApi,
  type GetMmdsOptions,
  type VmEndEvent,
  type VmEventListener,
  type VmEventType,
} from './vm-api.js';
/** What `vm.connectVsock()` and `vm.listenVsock()` take; an undici connector over vsock. */
export type { VsockConnectOptions } from './vsock-connect.js';
export type { VsockListenOptions } from './vsock-listen.js';
export {
  createVsockConnector,
  type VsockConnectable,
  type VsockConnector,
} from './vsock-connector.js';
/** A VM's end as extensions see it: one watch per connection, and words for messages. */
export { VmEndWatch, describeVmEnd, type VmEnd, type WatchableVm } from './vm-end-watch.js';
/** What `vm.waitForSerialLine()` takes and matches. */
export type { SerialWaitOptions } from './vm-serial.js';
export type { SerialLineMatch } from './serial-lines.js';
/** The states of a `Vm`, and what each API call needs. */
export type { VmState, VmStateRequirement } from './vm-state.js';
/** The error every `@kindling/vm` call throws, with a stable `code` from `VmErrorCode`. */
export { VmError, type VmErrorCode } from './errors.js';
/** What `Vm.prepare` takes. */
export type { VmPrepareOptions } from './prepare-options.js';
/** What a VM may use and reach: limits, folders, network, rate limiters; checked before it starts. */
export {
  VM_NETWORK_ACCESS,
  vmProfileSchema,
  type VmNetworkAccess,
  type VmProfile,
} from './vm-profile.js';
/** What `vm.getResourceUsage()` takes and gives, and the limits a profile sets (from executor). */
export type { VmResourceUsageOptions } from './vm-resource-usage.js';
export type { ResourceLimits, ResourceUsage } from '@kindling/executor';
/** What `Vm.restore` takes. */
export type { VmRestoreOptions } from './prepare-restored-vm.js';
/** What `vm.start()` and `vm.boot()` take. */
export type { VmBootOptions, VmStartOptions } from './start-vm.js';
/** What `vm.waitForExit()`, `vm.shutdown()` and `vm.cleanup()` take. */
export type { VmStepOptions, VmWaitOptions } from './vm-core.js';
/** What every API method takes, one API request, and the logger a `Vm` accepts. */
export type { ApiCall, VmCallOptions, VmLogger } from './send-api-call.js';
/** How a VM is made: new through API calls, new from a config file, or restored. */
export type {
  ApiVmConfiguration,
  ConfigFileVmConfiguration,
  ResolvedNewVmConfiguration,
  ResolvedVmConfiguration,
  RestoredVmConfiguration,
  SnapshotDeviceFile,
  SnapshotMemoryBackend,
  VmConfiguration,
  VmConfigurationItems,
  VmFifoOptions,
} from './configuration.js';
/** Validates a `VmConfiguration` with the Firecracker models, as `Vm.prepare` does. */
export { parseVmConfiguration } from './parse-configuration.js';
/** Builds the `--config-file` document of a configuration: kebab-case keys, no nulls. */
export { buildConfigFileDocument } from './config-file-document.js';
/** The API calls that configure a new VM (in Firecracker's order) or precede a snapshot load. */
export {
  INSTANCE_START_CALL,
  buildSnapshotLoadParams,
  planNewVmCalls,
  planRestoreCalls,
} from './boot-plan.js';
/** A snapshot of a VM: its files, copying them out, and how to restore it. */
export {
  VmSnapshot,
  type CopySnapshotOptions,
  type SnapshotRestoreSettings,
  type SnapshotSourceFile,
  type VmSnapshotData,
  type VmSnapshotSource,
} from './vm-snapshot.js';
/** What `vm.createSnapshot()` takes. */
export type { CreateSnapshotOptions } from './snapshot-vm.js';
/** Shutdown as data: the methods, an action, what happened, and the default actions. */
export {
  DEFAULT_SHUTDOWN_ACTIONS,
  type ShutdownAction,
  type ShutdownActionFailure,
  type ShutdownAlreadyDown,
  type ShutdownByAction,
  type ShutdownMethod,
  type ShutdownOutcome,
} from './shutdown.js';
