// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { JailedExecutor, type ProcessHandle } from '@kindling/executor';
import { VmmProcess } from '@kindling/process';
import { ResourceSystem, type Resource } from '@kindling/vmm-core';
import { listConfigurationFiles } from './configuration-files.js';
import { VmError, errorMessageOf } from './errors.js';
import { HandleKindReportingExecutor } from './handle-kind-reporting-executor.js';
import { failInput, isPlainObject } from './input-checks.js';
import { resolveVmPrepareOptions, type VmPrepareOptions } from './prepare-options.js';
import { VmCore, type VmCoreParts, type VmEndListener } from './vm-core.js';
import { VmSnapshot, type SnapshotRestoreSettings } from './vm-snapshot.js';

/** What `Vm.restore` takes: how to run the new VM, and what to change on restore. */
export interface VmRestoreOptions
  extends Omit<VmPrepareOptions, 'configuration' | 'installation'>, SnapshotRestoreSettings {
  /** The binaries (default: the snapshotted VM's). */
  readonly installation?: VmPrepareOptions['installation'];
}

const RESTORE_SETTINGS = [
  'memBackend',
  'resume',
  'trackDirtyPages',
  'clockRealtime',
  'networkOverrides',
  'vsockOverride',
  'configuration',
] as const;

const describeRemedy = (recorded: string, hostPath: string, executor: unknown): string => {
  if (recorded === hostPath) {
    return 'restore with an UnrestrictedExecutor, as the snapshotted VM had, so that Firecracker opens the file where it is';
  }
  const lands = `so that the file lands at ${recorded} again`;
  return executor instanceof JailedExecutor
    ? `restore with the same VirtualPathResolver as the snapshotted VM, ${lands}`
    : `restore with a JailedExecutor and the same VirtualPathResolver as the snapshotted VM, ${lands}`;
};

// A restored VM's drives must open where the snapshot recorded them: Firecracker reopens each
// device file at its recorded path and cannot be told another.
const checkRestoredPaths = (parts: VmCoreParts): void => {
  const { configuration, executor } = parts.options;
  if (configuration.kind !== 'restored-from-snapshot') {
    return;
  }
  for (const [index, file] of (configuration.deviceFiles ?? []).entries()) {
    const landed = parts.files.get(`deviceFiles[${index}].hostPath`)?.virtualPath;
    if (file.virtualPath !== undefined && landed !== file.virtualPath) {
      const executorName = (executor as object).constructor.name;
      throw new VmError(
        'ERR_RESTORE_PATH_MISMATCH',
        `Vm.prepare(): the snapshot recorded the device file ${file.hostPath} at ${file.virtualPath}, the path its Firecracker opened, but this ${executorName} would have Firecracker open it at ${String(landed)}: ${describeRemedy(file.virtualPath, file.hostPath, executor)}`,
      );
    }
  }
};

/**
 * Validates the options and configuration, registers each path of the configuration as a
 * resource (one per distinct path), and has the executor lay them out; nothing is spawned. A
 * failure undoes what was done.
 */
export const prepareVm = async (
  options: VmPrepareOptions,
  onEnd: VmEndListener,
): Promise<VmCore> => {
  const resolved = resolveVmPrepareOptions(options);
  const resourceSystem =
    resolved.resourceSystem ??
    new ResourceSystem({
      ownership: resolved.ownership,
      spawner: resolved.spawner,
      ...(resolved.elevatedSpawner === undefined
        ? {}
        : { elevatedSpawner: resolved.elevatedSpawner }),
    });
  const files = new Map<string, Resource>();
  const byPath = new Map<string, Resource>();
  for (const file of listConfigurationFiles(resolved.configuration, resolved.moveMethod)) {
    const resource = byPath.get(file.path) ?? resourceSystem.createResource(file.path, file.type);
    byPath.set(file.path, resource);
    files.set(file.field, resource);
  }
  const handleKind: { current?: ProcessHandle['kind'] } = {};
  const vmmProcess = new VmmProcess({
    executor: new HandleKindReportingExecutor(resolved.executor, (kind) => {
      handleKind.current = kind;
    }),
    context: { installation: resolved.installation, spawner: resolved.spawner, resourceSystem },
    ...(resolved.socketWaitTimeoutMs === undefined
      ? {}
      : { socketWaitTimeoutMs: resolved.socketWaitTimeoutMs }),
    ...(resolved.apiTimeoutMs === undefined ? {} : { apiTimeoutMs: resolved.apiTimeoutMs }),
    ...(resolved.stateDir === undefined ? {} : { stateDir: resolved.stateDir }),
  });
  try {
    await vmmProcess.prepare(resolved.signal === undefined ? {} : { signal: resolved.signal });
  } catch (error) {
    if (resolved.signal?.aborted === true) {
      throw resolved.signal.reason;
    }
    throw new VmError('ERR_PREPARE_FAILED', `Vm.prepare(): ${errorMessageOf(error)}`, {
      cause: error,
    });
  }
  const parts: VmCoreParts = {
    options: resolved,
    resourceSystem,
    files,
    process: vmmProcess,
    handleKind,
  };
  try {
    checkRestoredPaths(parts);
  } catch (error) {
    await vmmProcess.cleanup();
    throw error;
  }
  return new VmCore(parts, onEnd);
};

/**
 * Prepares a VM restored from a snapshot: the snapshot's settings become a restored
 * configuration, and the snapshotted VM's installation, spawners, ownership and move method are
 * the defaults of the options not given.
 */
export const prepareRestoredVm = async (
  snapshot: VmSnapshot,
  options: VmRestoreOptions,
  onEnd: VmEndListener,
): Promise<VmCore> => {
  if (!(snapshot instanceof VmSnapshot)) {
    return failInput(
      'ERR_INVALID_INPUT',
      'snapshot',
      'expected a VmSnapshot (from vm.createSnapshot() or new VmSnapshot())',
      snapshot,
    );
  }
  if (!isPlainObject(options)) {
    return failInput('ERR_INVALID_INPUT', 'options', 'expected an object', options);
  }
  const settings: Record<string, unknown> & SnapshotRestoreSettings = {};
  const prepare: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(options)) {
    if (value !== undefined) {
      ((RESTORE_SETTINGS as readonly string[]).includes(key) ? settings : prepare)[key] = value;
    }
  }
  const { source } = snapshot;
  const defaults =
    source === undefined
      ? {}
      : {
          installation: source.installation,
          spawner: source.spawner,
          moveMethod: source.moveMethod,
          ...(prepare['resourceSystem'] === undefined ? { ownership: source.ownership } : {}),
          ...(source.elevatedSpawner === undefined
            ? {}
            : { elevatedSpawner: source.elevatedSpawner }),
        };
  return prepareVm(
    {
      ...defaults,
      ...prepare,
      configuration: await snapshot.toConfiguration(settings),
    } as VmPrepareOptions,
    onEnd,
  );
};
