// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import type { Writable } from 'node:stream';
import { parseSnapshotEditorArgs } from './clap-parser.js';
import { SnapshotEditorError } from './editor-error.js';
import { formatVmStateReport, loadVmState, type VmStateReport } from './info-vmstate.js';
import { rebaseMemory } from './rebase-memory.js';

/** What the fake snapshot-editor runs with; the bin passes the real process's. */
export interface RunSnapshotEditorOptions {
  /** Arguments after the program name. */
  readonly argv: readonly string[];
  readonly stdout: Writable;
  readonly stderr: Writable;
}

const REPORTS: readonly VmStateReport[] = ['version', 'vcpu-states', 'vm-state'];

/**
 * Runs the fake `snapshot-editor` v1.16.1: clap's argument handling (usage errors exit 2),
 * `edit-memory rebase` and `info-vmstate version|vcpu-states|vm-state` on the fake's state files.
 * Failures print upstream's two lines (`Display`, then `Error: <Debug>`) and exit 1.
 */
export const runSnapshotEditor = async (options: RunSnapshotEditorOptions): Promise<number> => {
  const parsed = parseSnapshotEditorArgs(options.argv);
  if (parsed.kind === 'exit') {
    options.stdout.write(parsed.stdout);
    options.stderr.write(parsed.stderr);
    return parsed.code;
  }
  const [group, command] = parsed.path;
  try {
    if (group === 'edit-memory') {
      await rebaseMemory(parsed.values['memoryPath'] ?? '', parsed.values['diffPath'] ?? '');
      return 0;
    }
    const report = REPORTS.find((candidate) => candidate === command) ?? 'version';
    const file = await loadVmState(parsed.values['vmstatePath'] ?? '');
    options.stdout.write(formatVmStateReport(file, report));
    return 0;
  } catch (error) {
    if (error instanceof SnapshotEditorError) {
      options.stderr.write(`${error.message}\nError: ${error.debug}\n`);
      return 1;
    }
    throw error;
  }
};
