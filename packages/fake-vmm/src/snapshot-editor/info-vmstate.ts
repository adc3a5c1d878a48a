// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { readFile, stat } from 'node:fs/promises';
import { formatRustDebug, fromJson, type RustDebugValue } from '../rust/debug-format.js';
import {
  decodeStateFile,
  type SnapshotState,
  type SnapshotStateFile,
  type SnapshotVcpuState,
} from '../snapshot/state-file-format.js';
import { infoVmStateError } from './editor-error.js';

/** What `info-vmstate` prints: the version, the vCPU states, or the whole microVM state. */
export type VmStateReport = 'version' | 'vcpu-states' | 'vm-state';

/** Opens and loads a state file as upstream's `open_vmstate` does, step by step. */
export const loadVmState = async (vmstatePath: string): Promise<SnapshotStateFile> => {
  let bytes: Buffer;
  try {
    bytes = await readFile(vmstatePath);
  } catch (error) {
    throw infoVmStateError('VmStateFileOpen', error);
  }
  try {
    await stat(vmstatePath);
  } catch (error) {
    throw infoVmStateError('VmStateFileMeta', error);
  }
  try {
    return decodeStateFile(bytes, vmstatePath);
  } catch (error) {
    throw infoVmStateError('VmStateLoad', error);
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
