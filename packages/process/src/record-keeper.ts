// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import type { ProcessHandle, VmmExecutor, VmmExecutorContext } from '@kindling/executor';
import { planDisposal } from '@kindling/vmm-core';
import { failOption } from './option-checks.js';
import { sweepWhenGoingDown } from './orphan-guard.js';
import {
  defaultStateDir,
  describeOwner,
  removeProcessRecord,
  writeProcessRecord,
  type ProcessRecord,
} from './process-records.js';
import { sweepLeftovers, type Leftovers } from './sweep-leftovers.js';

/** Resolves the `stateDir` option: a folder, `false` for none, or the default folder. */
export const resolveStateDir = (value: unknown): string | false => {
  if (value === undefined) {
    return defaultStateDir();
  }
  return value === false || (typeof value === 'string' && value !== '')
    ? value
    : failOption('options.stateDir', 'a folder path or false', value);
};

/** What a keeper keeps the files of: a `VmmProcess`'s executor and context, and its process. */
export interface RecordKeeperOptions {
  readonly stateDir: string | false;
  readonly executor: VmmExecutor;
  readonly context: VmmExecutorContext;
  /** The process while it runs, to kill and see end before its files go. */
  running(): ProcessHandle | undefined;
}

/**
 * Keeps a VMM's files from outliving its Node owner: from a successful prepare until cleanup its
 * files are removed if Node goes down, and once started its state record names them (rewritten
 * one write after the other, so the last written is the newest) for `reconcile()`.
 */
export class RecordKeeper {
  readonly #stateDir: string | false;
  readonly #options: RecordKeeperOptions;
  readonly #extraPaths = new Set<string>();
  // What every rewrite of the record keeps: the process and its owner; unset once removed.
  #base: Omit<ProcessRecord, keyof Leftovers | 'recordedAt'> | undefined;
  #file: string | undefined;
  #writes: Promise<void> = Promise.resolve();
  #sweeper: Disposable | undefined;

  constructor(options: RecordKeeperOptions) {
    this.#stateDir = options.stateDir;
    this.#options = options;
  }

  /** From now on, Node going down removes the files (once the process has ended). */
  guard(): void {
    this.#sweeper ??= sweepWhenGoingDown(() => {
      const running = this.#options.running();
      sweepLeftovers({
        running:
          running === undefined ? undefined : { handle: running, startTime: running.startTime },
        leftovers: this.#describe(),
        recordFile: this.#file,
      });
    });
  }

  /** Records a started process; nothing when records are off or its start time is unknown. */
  async record(handle: ProcessHandle): Promise<void> {
    if (this.#stateDir === false || handle.startTime === undefined) {
      return;
    }
    this.#base = {
      pid: handle.pid,
      startTime: handle.startTime,
      owner: await describeOwner(),
      kind: handle.kind,
    };
    await this.update();
  }

  /** Adds files of the owner's to remove with the VMM's, then rewrites the record. */
  async addExtraPaths(paths: readonly string[]): Promise<void> {
    for (const item of paths) {
      this.#extraPaths.add(item);
    }
    await this.update();
  }

  /** Rewrites the record with what cleanup would now remove; nothing when not recorded. */
  update(): Promise<void> {
    const write = this.#writes.then(() => this.#write());
    this.#writes = write.catch(() => {});
    return write;
  }

  /** Once cleanup has removed the files: the record goes, and so does the guard. */
  async release(): Promise<void> {
    // No rewrite of the record may follow its removal.
    this.#base = undefined;
    await this.#writes;
    if (this.#file !== undefined) {
      await removeProcessRecord(this.#file);
      this.#file = undefined;
    }
    this.#sweeper?.[Symbol.dispose]();
    this.#sweeper = undefined;
  }

  // What the executor's cleanup would remove now, and the owner's extra files.
  #describe(): Leftovers {
    const { executor, context } = this.#options;
    const socketPath = executor.getSocketPath(context);
    const jailPath = executor.getJailPath?.(context);
    const jailParents = executor.listMadeJailParents?.(context) ?? [];
    const cgroupDirs = executor.listCgroupDirs?.(context) ?? [];
    return {
      ...(socketPath === undefined ? {} : { socketPath }),
      ...(jailPath === undefined ? {} : { jailPath }),
      ...(jailParents.length === 0 ? {} : { jailParents: [...jailParents] }),
      disposal: planDisposal(context.resourceSystem),
      ...(this.#extraPaths.size === 0 ? {} : { extraPaths: [...this.#extraPaths] }),
      ...(cgroupDirs.length === 0 ? {} : { cgroupDirs: [...cgroupDirs] }),
    };
  }

  async #write(): Promise<void> {
    if (this.#stateDir === false || this.#base === undefined) {
      return;
    }
    this.#file = await writeProcessRecord(this.#stateDir, {
      ...this.#base,
      ...this.#describe(),
      recordedAt: new Date().toISOString(),
    });
  }
}
