// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { open, type FileHandle } from 'node:fs/promises';
import {
  formatRustDebug,
  formatRustString,
  fromJson,
  type RustDebugValue,
} from '../rust/debug-format.js';
import { describeIoError } from '../rust/io-error.js';
import {
  decodeStateFile,
  type SnapshotState,
  type SnapshotStateFile,
  type SnapshotVcpuState,
} from '../snapshot/state-file-format.js';
import { SnapshotLoadFailure, infoVmStateError } from './editor-error.js';

/** What `info-vmstate` prints: the version, the vCPU states, or the whole microVM state. */
export type VmStateReport = 'version' | 'vcpu-states' | 'vm-state';

// The snapshot crate's limit on a state file (`SNAPSHOT_SIZE_LIMIT`), and the CRC64 at its end.
const SNAPSHOT_SIZE_LIMIT = 10_000_000;
const CRC_BYTES = 8;

/**
 * Opens and loads a state file as upstream's `open_vmstate` does, step by step: open, metadata,
 * then `Snapshot::load` (the size limit, the read, room for the CRC, decoding). A file the fake
 * cannot decode fails as a foreign file fails the real tool, with bitcode's error.
 */
export const loadVmState = async (vmstatePath: string): Promise<SnapshotStateFile> => {
  let file: FileHandle;
  try {
    file = await open(vmstatePath, 'r');
  } catch (error) {
    throw infoVmStateError('VmStateFileOpen', error);
  }
  try {
    let size: number;
    try {
      ({ size } = await file.stat());
    } catch (error) {
      throw infoVmStateError('VmStateFileMeta', error);
    }
    if (size > SNAPSHOT_SIZE_LIMIT) {
      throw infoVmStateError(
        'VmStateLoad',
        new SnapshotLoadFailure(
          `Snapshot size exceeds limit of ${SNAPSHOT_SIZE_LIMIT} bytes`,
          `SizeLimitExceeded(${SNAPSHOT_SIZE_LIMIT})`,
        ),
      );
    }
    let bytes: Buffer;
    try {
      bytes = await file.readFile();
    } catch (error) {
      const io = describeIoError(error);
      throw infoVmStateError(
        'VmStateLoad',
        new SnapshotLoadFailure(`IO Error: ${io.display}`, `Io(${io.debug})`, error),
      );
    }
    if (bytes.length < CRC_BYTES) {
      const reason = 'File too short to contain CRC';
      throw infoVmStateError(
        'VmStateLoad',
        new SnapshotLoadFailure(
          `IO Error: ${reason}`,
          `Io(Custom { kind: UnexpectedEof, error: ${formatRustString(reason)} })`,
        ),
      );
    }
    try {
      return decodeStateFile(bytes, vmstatePath);
    } catch (error) {
      throw infoVmStateError(
        'VmStateLoad',
        new SnapshotLoadFailure(
          'An error occurred during bitcode serialization: bitcode error',
          'Bitcode(Error("bitcode error"))',
          error,
        ),
      );
    }
  } finally {
    await file.close();
  }
};

const snakeCase = (name: string): string =>
  name.replaceAll(/[A-Z]/gu, (c) => `_${c.toLowerCase()}`);

const vcpuDebug = (vcpu: SnapshotVcpuState): RustDebugValue => ({
  struct: 'VcpuState',
  fields: [
    ['index', vcpu.index],
    [
      'regs',
      {
        struct: 'kvm_regs',
        fields: Object.entries(vcpu.registers).map(([name, value]) => [name, { token: value }]),
      },
    ],
  ],
});

// Upstream prints its `MicrovmState` with `{:#?}`; the fake prints its own state the same way,
// struct fields in snake_case and the recorded API objects as maps.
const stateDebug = (state: SnapshotState): RustDebugValue => ({
  struct: 'MicrovmState',
  fields: Object.entries(state).map(([key, value]): [string, RustDebugValue] => {
    switch (key) {
      case 'arch':
      case 'snapshotType':
        return [snakeCase(key), { token: String(value) }];
      case 'vcpus':
        return ['vcpu_states', { list: state.vcpus.map(vcpuDebug) }];
      default:
        return [snakeCase(key), fromJson(value)];
    }
  }),
});

const REPORTERS: Readonly<Record<VmStateReport, (file: SnapshotStateFile) => string>> = {
  version: (file) => `${file.version}\n`,
  'vcpu-states': (file) =>
    file.state.vcpus
      .map((vcpu, index) => `vcpu ${index}:\n${formatRustDebug(vcpuDebug(vcpu))}\n`)
      .join(''),
  'vm-state': (file) => `${formatRustDebug(stateDebug(file.state))}\n`,
};

/** The text `info-vmstate <report>` prints for a loaded state file. */
export const formatVmStateReport = (file: SnapshotStateFile, report: VmStateReport): string =>
  REPORTERS[report](file);
