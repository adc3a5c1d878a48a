// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { snapshotCreateParamsSchema, type Resource } from '@kindling/vmm-core';
import { VmError, errorMessageOf } from './errors.js';
import {
  checkAbsolutePath,
  checkOptionObject,
  checkSignal,
  checkTimeoutMs,
  failInput,
  parseWire,
} from './input-checks.js';
import type { VmCallOptions } from './send-api-call.js';
import type { VmCore } from './vm-core.js';
import { VmSnapshot, type SnapshotSourceFile } from './vm-snapshot.js';
import { assertVmState } from './vm-state.js';

/** What `vm.createSnapshot()` takes. */
export interface CreateSnapshotOptions extends VmCallOptions {
  /** `Full` (default) or `Diff` (only pages dirtied since the last snapshot). */
  readonly type?: 'Full' | 'Diff';
  /**
   * Where Firecracker writes the state file, as it sees it (inside the jail for a jailed VM);
   * absolute. Default: a unique file in the system's temporary folder.
   */
  readonly snapshotPath?: string;
  /** Where Firecracker writes the memory file, as it sees it; absolute. Default: as above. */
  readonly memPath?: string;
}

const CALLER = 'vm.createSnapshot()';
// The API is blocked while guest memory is written, which takes a while for a large VM.
const SNAPSHOT_TIMEOUT_MS = 120_000;
const DEVICE_FILE = /^(?:drives|pmem)\[\d+\]\.path_on_host$|^deviceFiles\[\d+\]\.hostPath$/u;

// A path written before (a diff into the same memory file) is the same resource again.
const prepareSnapshotFile = async (
  core: VmCore,
  file: string,
  signal: AbortSignal | undefined,
): Promise<Resource> => {
  const known = core.snapshotFiles.get(file);
  if (known !== undefined) {
    return known;
  }
  const resource = core.resourceSystem.createResource(file, { kind: 'produced' });
  try {
    await core.resourceSystem.initialize(resource, {
      effectivePath: core.process.resolveEffectivePath(file),
      virtualPath: file,
      ...(signal === undefined ? {} : { signal }),
    });
  } catch (error) {
    throw new VmError(
      'ERR_INVALID_INPUT',
      `${CALLER}: cannot write a snapshot file at ${file}: ${errorMessageOf(error)}`,
      { cause: error },
    );
  }
  core.snapshotFiles.set(file, resource);
  // The state record names it from now on, for reconcile() after a SIGKILL of this process; a
  // failure to write it is the process's ERR_STATE_RECORD, as at start.
  await core.process.updateRecord();
  return resource;
};

const listDeviceFiles = (core: VmCore): SnapshotSourceFile[] =>
  [...core.files]
    .filter(([field]) => DEVICE_FILE.test(field))
    .map(([, resource]) => ({
      hostPath: resource.effectivePath,
      virtualPath: resource.virtualPath,
      originalPath: resource.initialPath,
    }));

const findVsockPath = (core: VmCore): string | undefined => {
  const seen = core.seenConfiguration();
  return seen.kind === 'restored-from-snapshot'
    ? (seen.vsockOverride?.uds_path ?? seen.snapshotVsockPath)
    : seen.vsock?.uds_path;
};

/**
 * `vm.createSnapshot()`: `PUT /snapshot/create` of a paused VM, into files that are the VM's own
 * produced resources; returns the snapshot with what restoring it needs.
 */
export const createVmSnapshot = (
  core: VmCore,
  options: CreateSnapshotOptions,
): Promise<VmSnapshot> => {
  checkOptionObject(
    options,
    ['type', 'snapshotPath', 'memPath', 'signal', 'timeoutMs'],
    'options',
    'ERR_INVALID_INPUT',
  );
  const signal = checkSignal(options.signal, 'options.signal');
  const timeoutMs = checkTimeoutMs(options.timeoutMs, 'options.timeoutMs');
  const type = options.type ?? 'Full';
  const id = randomUUID();
  const snapshotPath = checkAbsolutePath(
    options.snapshotPath ?? path.join(tmpdir(), `kindling-snapshot-${id}.state`),
    'options.snapshotPath',
    'ERR_INVALID_INPUT',
  );
  const memPath = checkAbsolutePath(
    options.memPath ?? path.join(tmpdir(), `kindling-snapshot-${id}.mem`),
    'options.memPath',
    'ERR_INVALID_INPUT',
  );
  if (snapshotPath === memPath) {
    failInput(
      'ERR_INVALID_INPUT',
      'options.memPath',
      'must differ from options.snapshotPath',
      memPath,
    );
  }
  const body = parseWire(
    snapshotCreateParamsSchema,
    { snapshot_path: snapshotPath, mem_file_path: memPath, snapshot_type: type },
    'options',
    'ERR_INVALID_INPUT',
  );
  return core.runLifecycle(CALLER, async () => {
    assertVmState(core.view(), ['paused'], CALLER);
    const stateFile = await prepareSnapshotFile(core, snapshotPath, signal);
    const memoryFile = await prepareSnapshotFile(core, memPath, signal);
    await core.send(
      CALLER,
      { method: 'PUT', path: '/snapshot/create', body },
      {
        timeoutMs: timeoutMs ?? SNAPSHOT_TIMEOUT_MS,
        ...(signal === undefined ? {} : { signal }),
      },
    );
    const { installation, spawner, elevatedSpawner, ownership, moveMethod } = core.options;
    return new VmSnapshot({
      type,
      snapshotPath: stateFile.effectivePath,
      memPath: memoryFile.effectivePath,
      deviceFiles: listDeviceFiles(core),
      vsockPath: findVsockPath(core),
      source: {
        installation,
        spawner,
        elevatedSpawner,
        ownership,
        moveMethod,
        ...(core.options.profile?.rateLimiters === undefined
          ? {}
          : { rateLimiters: core.options.profile.rateLimiters }),
      },
    });
  });
};
