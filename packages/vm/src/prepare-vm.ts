// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import type { ProcessHandle } from '@kindling/executor';
import { VmmProcess } from '@kindling/process';
import { ResourceSystem, type Resource } from '@kindling/vmm-core';
import { listConfigurationFiles } from './configuration-files.js';
import { VmError, errorMessageOf } from './errors.js';
import { checkBeforePrepare } from './prepare-checks.js';
import { checkRestoredPaths } from './restore-path-check.js';
import { HandleKindReportingExecutor } from './handle-kind-reporting-executor.js';
import { resolveVmPrepareOptions, type VmPrepareOptions } from './prepare-options.js';

export type { VmPrepareOptions };
import { VmCore, type VmCoreParts, type VmEndListener } from './vm-core.js';

/**
 * Validates the options and configuration, registers each path of the configuration as a
 * resource (one per distinct path), and has the executor lay them out; nothing is spawned. A
 * failure undoes what was done.
 */
export const prepareVm = async (
  options: VmPrepareOptions,
  onEnd: VmEndListener,
  snapshotRateLimiters?: Parameters<typeof checkBeforePrepare>[1],
): Promise<VmCore> => {
  const resolved = await checkBeforePrepare(resolveVmPrepareOptions(options), snapshotRateLimiters);
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
    ...(resolved.killOnSignal === undefined ? {} : { killOnSignal: resolved.killOnSignal }),
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
