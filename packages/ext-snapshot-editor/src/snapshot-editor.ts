// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { DirectSpawner, type ProcessSpawner } from '@kindling/spawner';
import { VmSnapshot } from '@kindling/vm';
import type { VmmInstallation } from '@kindling/vmm-core';
import { SnapshotEditorError } from './errors.js';
import {
  EditorOutputError,
  parseVcpuStatesOutput,
  parseVersionOutput,
  parseVmStateOutput,
  type VcpuStateReport,
  type VmStateVersion,
} from './info-output.js';
import {
  editorOptionsSchema,
  parseOptions,
  rebaseMemoryOptionsSchema,
  rebaseSnapshotOptionsSchema,
  vmStateOptionsSchema,
  type EditorCallOptions,
} from './options.js';
import { RustDebugSyntaxError, type RustStruct } from './rust-debug.js';
import { describeCommand, runEditor } from './run-editor.js';

/** What `new SnapshotEditor()` takes: exactly one of `installation` and `binaryPath`. */
export interface SnapshotEditorOptions {
  /** A Firecracker installation: the editor runs its `snapshotEditorPath`. */
  readonly installation?: Pick<VmmInstallation, 'snapshotEditorPath'>;
  /** The `snapshot-editor` binary itself; relative to the current folder. */
  readonly binaryPath?: string;
  /** What starts each run (default: a `DirectSpawner`); elevate it for another user's files. */
  readonly spawner?: ProcessSpawner;
  /** The default bound of a run, in milliseconds (60 000). */
  readonly timeoutMs?: number;
}

/** What `editor.rebaseMemory()` takes. */
export interface RebaseMemoryOptions extends EditorCallOptions {
  /** The base memory file (of a `Full` snapshot); the diff is merged into it, in place. */
  readonly memoryPath: string;
  /** The memory file of a `Diff` snapshot made after the base. */
  readonly diffPath: string;
}

/** What `editor.rebaseSnapshot()` takes. */
export interface RebaseSnapshotOptions extends EditorCallOptions {
  /** The snapshot whose memory file receives the diff (changed in place). */
  readonly base: VmSnapshot;
  /** A `Diff` snapshot made after `base`, of the same VM. */
  readonly diff: VmSnapshot;
}

/** What `editor.readVersion()`, `readVcpuStates()` and `readVmState()` take. */
export interface VmStateOptions extends EditorCallOptions {
  /** A snapshot's state file (`snapshot.snapshotPath`). */
  readonly vmstatePath: string;
}

const INFO_VMSTATE = 'info-vmstate';

/**
 * Firecracker's `snapshot-editor` (v1.16.1), typed: merges a diff snapshot's memory into its base
 * and reads a state file's version, vCPU states and microVM state, parsed into data. Each call
 * runs the binary once through the editor's `ProcessSpawner` (a `SudoSpawner` for files a jailed
 * VM wrote as another user), bounded by `timeoutMs` and the call's `signal`.
 */
export class SnapshotEditor {
  /** The `snapshot-editor` binary this editor runs. */
  readonly binaryPath: string;
  readonly spawner: ProcessSpawner;
  /** The default bound of one run, in milliseconds. */
  readonly timeoutMs: number;

  constructor(options: SnapshotEditorOptions) {
    const parsed = parseOptions(editorOptionsSchema, options, 'options');
    this.binaryPath = parsed.binaryPath ?? parsed.installation?.snapshotEditorPath ?? '';
    this.spawner = parsed.spawner ?? new DirectSpawner();
    this.timeoutMs = parsed.timeoutMs;
  }

  /**
   * Merges the diff memory file into the base memory file, in place (`edit-memory rebase`): the
   * base then holds the guest memory as of the diff snapshot.
   */
  async rebaseMemory(options: RebaseMemoryOptions): Promise<void> {
    const parsed = parseOptions(rebaseMemoryOptionsSchema, options, 'options');
    await this.run(
      ['edit-memory', 'rebase', '--memory-path', parsed.memoryPath, '--diff-path', parsed.diffPath],
      parsed,
    );
  }

  /**
   * Merges a `Diff` snapshot's memory into its base snapshot's memory file, in place, and returns
   * the snapshot to restore: the diff's state file with the base's (now complete) memory file,
   * of the base's type. The diff's own memory file is left as it was.
   */
  async rebaseSnapshot(options: RebaseSnapshotOptions): Promise<VmSnapshot> {
    const { base, diff, ...call } = parseOptions(rebaseSnapshotOptionsSchema, options, 'options');
    await this.rebaseMemory({ memoryPath: base.memPath, diffPath: diff.memPath, ...call });
    return new VmSnapshot({
      type: base.type,
      snapshotPath: diff.snapshotPath,
      memPath: base.memPath,
      deviceFiles: diff.deviceFiles,
      vsockPath: diff.vsockPath,
      source: diff.source,
    });
  }

  /** The snapshot data format version of a state file (`info-vmstate version`), e.g. v10.0.0. */
  readVersion(options: VmStateOptions): Promise<VmStateVersion> {
    return this.readInfo('version', options, parseVersionOutput);
  }

  /** Each vCPU's saved state (`info-vmstate vcpu-states`), in vCPU order. */
  readVcpuStates(options: VmStateOptions): Promise<VcpuStateReport[]> {
    return this.readInfo('vcpu-states', options, parseVcpuStatesOutput);
  }

  /** The whole saved microVM state (`info-vmstate vm-state`): its `MicrovmState` struct. */
  readVmState(options: VmStateOptions): Promise<RustStruct> {
    return this.readInfo('vm-state', options, parseVmStateOutput);
  }

  private async readInfo<Result>(
    report: string,
    options: VmStateOptions,
    parse: (stdout: string) => Result,
  ): Promise<Result> {
    const parsed = parseOptions(vmStateOptionsSchema, options, 'options');
    const args = [INFO_VMSTATE, report, '--vmstate-path', parsed.vmstatePath];
    const stdout = await this.run(args, parsed);
    try {
      return parse(stdout);
    } catch (error) {
      if (error instanceof EditorOutputError || error instanceof RustDebugSyntaxError) {
        throw new SnapshotEditorError(
          'ERR_SNAPSHOT_EDITOR_OUTPUT',
          `${describeCommand(args)} printed what snapshot-editor v1.16.1 does not (${error.message}): check that ${this.binaryPath} is v1.16.1`,
          { cause: error, run: { args, exit: { code: 0, signal: null }, stderr: '' } },
        );
      }
      throw error;
    }
  }

  private run(args: readonly string[], call: EditorCallOptions): Promise<string> {
    return runEditor({
      binaryPath: this.binaryPath,
      spawner: this.spawner,
      args,
      timeoutMs: call.timeoutMs ?? this.timeoutMs,
      signal: call.signal,
    });
  }
}
