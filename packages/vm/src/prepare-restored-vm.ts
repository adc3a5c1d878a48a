// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { failInput, isPlainObject } from './input-checks.js';
import type { VmPrepareOptions } from './prepare-options.js';
import { prepareVm } from './prepare-vm.js';
import type { VmCore, VmEndListener } from './vm-core.js';
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
    source?.rateLimiters,
  );
};
