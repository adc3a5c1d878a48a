// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { constants } from 'node:fs';
import { access } from 'node:fs/promises';
import path from 'node:path';
import type { ProcessSpawner } from '@kindling/spawner';
import {
  upgradeOwner,
  type MoveMethod,
  type NetworkOverride,
  type OwnershipModel,
  type VmmInstallation,
  type VsockOverride,
} from '@kindling/vmm-core';
import type {
  RestoredVmConfiguration,
  SnapshotDeviceFile,
  VmFifoOptions,
} from './configuration.js';
import { VmError } from './errors.js';
import {
  checkAbsolutePath,
  checkOptionalOwner,
  checkOptionObject,
  checkSignal,
  failInput,
} from './input-checks.js';
import { copySnapshotFiles } from './snapshot-copy.js';
import type { ResolvedVmProfile } from './vm-profile.js';

/** Where a snapshot was made: the defaults `Vm.restore` takes for the new VM. */
export interface VmSnapshotSource {
  readonly installation: VmmInstallation;
  readonly spawner: ProcessSpawner;
  readonly elevatedSpawner: ProcessSpawner | undefined;
  readonly ownership: OwnershipModel;
  readonly moveMethod: MoveMethod;
  /**
   * The rate limiters of the snapshotted VM's profile, which each of its drives and interfaces
   * had at least; a restore whose profile asks for limiters is checked against them.
   */
  readonly rateLimiters?: ResolvedVmProfile['rateLimiters'];
}

/** A drive or pmem file of the snapshotted VM, with the user's own file to fall back on. */
export interface SnapshotSourceFile extends SnapshotDeviceFile {
  /** The file the configuration named; used once `hostPath` (e.g. in a removed jail) is gone. */
  readonly originalPath?: string;
}

/** What a `VmSnapshot` is made of. */
export interface VmSnapshotData {
  /** `Full`, or `Diff` (only the pages dirtied since the last snapshot). */
  readonly type: 'Full' | 'Diff';
  /** The state file on the host. */
  readonly snapshotPath: string;
  /** The guest memory file on the host. */
  readonly memPath: string;
  /** The drive and pmem files the snapshotted devices open. */
  readonly deviceFiles?: readonly SnapshotSourceFile[];
  /** The vsock socket path recorded in the snapshot, as Firecracker saw it. */
  readonly vsockPath?: string | undefined;
  /** The VM the snapshot was made from, when it was a `Vm` of this program. */
  readonly source?: VmSnapshotSource | undefined;
}

/** What `snapshot.copy()` takes. */
export interface CopySnapshotOptions {
  /** Where to copy the state file; absolute, and it must not exist. Missing folders are made. */
  readonly snapshotPath: string;
  /** Where to copy the memory file; absolute, and it must not exist. Missing folders are made. */
  readonly memPath: string;
  /**
   * Who owns the copies and the folders made for them. Default: the caller (this process's euid
   * and egid), whoever owns the snapshot's files (e.g. a downgraded jail's user). Another user
   * than the caller's needs root.
   */
  readonly owner?: { readonly uid: number; readonly gid: number };
  /** Stops the copy; the partial copies are removed and the signal's reason thrown. */
  readonly signal?: AbortSignal;
}

/** What a restore sets beyond the snapshot itself (see `RestoredVmConfiguration`). */
export interface SnapshotRestoreSettings {
  /** Guest memory from the snapshot's memory file (default), or from a userfaultfd handler. */
  readonly memBackend?:
    { readonly type: 'file' } | { readonly type: 'uffd'; readonly socketPath: string };
  readonly resume?: boolean;
  readonly trackDirtyPages?: boolean;
  readonly clockRealtime?: boolean;
  readonly networkOverrides?: readonly NetworkOverride[];
  readonly vsockOverride?: VsockOverride;
  /** Firecracker's log, metrics and serial output, MMDS data and FIFOs of the restored VM. */
  readonly configuration?: Pick<
    RestoredVmConfiguration,
    'logger' | 'metrics' | 'serial' | 'mmds'
  > & { readonly fifos?: VmFifoOptions };
}

const defined = (key: string, value: unknown): Record<string, unknown> =>
  value === undefined ? {} : { [key]: value };

const exists = async (file: string): Promise<boolean> => {
  try {
    await access(file, constants.F_OK);
    return true;
  } catch {
    return false;
  }
};

/**
 * A snapshot of a microVM: its state file, its memory file, and what restoring it needs (the
 * files its devices open, the vsock path it recorded). `vm.createSnapshot()` returns one whose
 * files live where the VM wrote them (inside its jail for a jailed VM) and go away with
 * `vm.cleanup()`: `copy()` them out first to keep them. `Vm.restore()` makes a new VM of it.
 */
export class VmSnapshot {
  readonly type: 'Full' | 'Diff';
  readonly snapshotPath: string;
  readonly memPath: string;
  readonly deviceFiles: readonly SnapshotSourceFile[];
  readonly vsockPath: string | undefined;
  /** The VM the snapshot was made from, for `Vm.restore`'s defaults. */
  readonly source: VmSnapshotSource | undefined;

  constructor(data: VmSnapshotData) {
    const subject = 'snapshot';
    checkOptionObject(
      data,
      ['type', 'snapshotPath', 'memPath', 'deviceFiles', 'vsockPath', 'source'],
      subject,
      'ERR_INVALID_INPUT',
    );
    if (data.type !== 'Full' && data.type !== 'Diff') {
      throw new VmError(
        'ERR_INVALID_INPUT',
        `${subject}.type: expected 'Full' or 'Diff', got ${JSON.stringify(data.type)}`,
      );
    }
    this.type = data.type;
    this.snapshotPath = checkAbsolutePath(
      data.snapshotPath,
      `${subject}.snapshotPath`,
      'ERR_INVALID_INPUT',
    );
    this.memPath = checkAbsolutePath(data.memPath, `${subject}.memPath`, 'ERR_INVALID_INPUT');
    this.deviceFiles = [...(data.deviceFiles ?? [])];
    this.vsockPath = data.vsockPath;
    this.source = data.source;
  }

  /**
   * Copies the state and memory files to host paths of the caller's (for example out of a jail,
   * before `vm.cleanup()` removes it), making missing folders, and returns the snapshot of the
   * copies, which Kindling never removes. The copies are sparse (a reflink where the filesystem
   * has one, else the data around the holes), keep the files' permission bits and belong to the
   * caller unless `owner` says otherwise. Files a VMM wrote as root are first given back with the
   * source's elevated spawner. Never overwrites; all or nothing.
   */
  async copy(options: CopySnapshotOptions): Promise<VmSnapshot> {
    const checked = checkOptionObject(
      options,
      ['snapshotPath', 'memPath', 'owner', 'signal'],
      'options',
      'ERR_INVALID_INPUT',
    );
    // Normalized: `mkdir -p` of `/a/x/../b` would make `/a/x` too.
    const snapshotPath = path.resolve(
      checkAbsolutePath(checked['snapshotPath'], 'options.snapshotPath', 'ERR_INVALID_INPUT'),
    );
    const memPath = path.resolve(
      checkAbsolutePath(checked['memPath'], 'options.memPath', 'ERR_INVALID_INPUT'),
    );
    if (memPath === snapshotPath) {
      failInput(
        'ERR_INVALID_INPUT',
        'options.memPath',
        'must differ from options.snapshotPath',
        checked['memPath'],
      );
    }
    const owner = checkOptionalOwner(checked['owner'], 'options.owner');
    const signal = checkSignal(checked['signal'], 'options.signal');
    if (this.source?.elevatedSpawner !== undefined) {
      for (const file of [this.snapshotPath, this.memPath]) {
        await upgradeOwner(
          file,
          this.source.ownership,
          this.source.elevatedSpawner,
          signal === undefined ? {} : { signal },
        );
      }
    }
    // A downgraded VM's user controls its jail: copy only files that are still that user's.
    const ownership = this.source?.ownership;
    const sourceOwner =
      ownership?.kind === 'downgraded' ? { uid: ownership.uid, gid: ownership.gid } : undefined;
    await copySnapshotFiles(this, { snapshotPath, memPath }, { owner, sourceOwner, signal });
    return new VmSnapshot({
      type: this.type,
      snapshotPath,
      memPath,
      deviceFiles: this.deviceFiles,
      vsockPath: this.vsockPath,
      source: this.source,
    });
  }

  /**
   * The configuration that restores this snapshot into a new VM. Each device file is taken from
   * where the snapshotted VM had it, or from the user's original once that is gone (after the
   * snapshotted VM was cleaned up).
   */
  async toConfiguration(settings: SnapshotRestoreSettings = {}): Promise<RestoredVmConfiguration> {
    const deviceFiles: SnapshotDeviceFile[] = [];
    for (const file of this.deviceFiles) {
      const hostPath =
        file.originalPath !== undefined && !(await exists(file.hostPath))
          ? file.originalPath
          : file.hostPath;
      deviceFiles.push(
        file.virtualPath === undefined ? { hostPath } : { hostPath, virtualPath: file.virtualPath },
      );
    }
    const memBackend = settings.memBackend ?? { type: 'file' };
    return {
      ...settings.configuration,
      kind: 'restored-from-snapshot',
      snapshotPath: this.snapshotPath,
      memBackend:
        memBackend.type === 'file'
          ? { type: 'file', path: this.memPath }
          : { type: 'uffd', socketPath: memBackend.socketPath },
      ...defined('resume', settings.resume),
      ...defined('trackDirtyPages', settings.trackDirtyPages),
      ...defined('clockRealtime', settings.clockRealtime),
      ...defined('networkOverrides', settings.networkOverrides),
      ...defined('vsockOverride', settings.vsockOverride),
      ...(deviceFiles.length === 0 ? {} : { deviceFiles }),
      ...defined('snapshotVsockPath', this.vsockPath),
    };
  }
}
