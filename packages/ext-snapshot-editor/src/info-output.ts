// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { parseRustDebug, type RustStruct, type RustValue } from './rust-debug.js';

/** The snapshot data format version a state file was written with, e.g. `v10.0.0`. */
export interface VmStateVersion {
  /** As `info-vmstate version` prints it, e.g. `'v10.0.0'`. */
  readonly text: string;
  readonly major: number;
  readonly minor: number;
  readonly patch: number;
}

/** The state of one vCPU, as `info-vmstate vcpu-states` prints it. */
export interface VcpuStateReport {
  /** The vCPU's number, from the `vcpu <index>:` line. */
  readonly index: number;
  /** Its `VcpuState` struct (on x86_64: `cpuid`, `saved_msrs`, `regs`, `sregs`, `xsave`, …). */
  readonly state: RustValue;
}

/** Why a printed text is not what `snapshot-editor` v1.16.1 prints. */
export class EditorOutputError extends Error {
  static {
    this.prototype.name = 'EditorOutputError';
  }
}

const VERSION_LINE = /^v(?<major>\d+)\.(?<minor>\d+)\.(?<patch>\d+)\n$/u;

/** Parses `info-vmstate version`'s output: `v<major>.<minor>.<patch>` and a newline. */
export const parseVersionOutput = (stdout: string): VmStateVersion => {
  const groups = VERSION_LINE.exec(stdout)?.groups;
  if (groups === undefined) {
    throw new EditorOutputError(
      `expected a version such as "v10.0.0\\n", got ${JSON.stringify(stdout)}`,
    );
  }
  return {
    text: stdout.trimEnd(),
    major: Number(groups['major']),
    minor: Number(groups['minor']),
    patch: Number(groups['patch']),
  };
};

// A vCPU header starts a line; the pretty Debug below it is indented after its first line, and
// its strings escape newlines, so the header cannot occur inside a state.
const VCPU_HEADER = /^vcpu (\d+):\n/gmu;

/** Parses `info-vmstate vcpu-states`'s output: for each vCPU `vcpu <i>:` and its pretty `Debug`. */
export const parseVcpuStatesOutput = (stdout: string): VcpuStateReport[] => {
  const headers = [...stdout.matchAll(VCPU_HEADER)];
  const first = headers[0]?.index ?? stdout.length;
  if (stdout.slice(0, first).trim() !== '') {
    throw new EditorOutputError(
      `expected "vcpu 0:" first, got ${JSON.stringify(stdout.slice(0, 40))}`,
    );
  }
  return headers.map((header, position) => {
    const start = (header.index ?? 0) + header[0].length;
    const end = headers[position + 1]?.index ?? stdout.length;
    return { index: Number(header[1]), state: parseRustDebug(stdout.slice(start, end)) };
  });
};

/** Parses `info-vmstate vm-state`'s output: the pretty `Debug` of the whole `MicrovmState`. */
export const parseVmStateOutput = (stdout: string): RustStruct => {
  const value = parseRustDebug(stdout);
  if (value === null || typeof value !== 'object' || !('$type' in value)) {
    throw new EditorOutputError(
      `expected a struct such as "MicrovmState { … }", got ${JSON.stringify(stdout.slice(0, 40))}`,
    );
  }
  return value;
};
