// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { crc32 } from 'node:zlib';

/** The snapshot data format version Firecracker v1.16.1 writes, as `--snapshot-version` prints it. */
export const SNAPSHOT_DATA_VERSION = 'v10.0.0';

/** Firecracker's x86_64 snapshot magic (`SNAPSHOT_MAGIC_ID`); the fake only emulates x86_64. */
export const SNAPSHOT_MAGIC_X86_64 = 0x0710_1984_8664_0000n;

/** A JSON object as it appears in a state file (wire names of the Firecracker API). */
export type StateFileObject = { readonly [key: string]: unknown };

/** The registers the fake records for one vCPU (hex strings, e.g. `rip: "0xffffffff81000000"`). */
export interface SnapshotVcpuState {
  readonly index: number;
  readonly registers: Readonly<Record<string, string>>;
}

/**
 * What a fake snapshot records: the configuration the VM was restored with, in the wire shapes
 * of `GET /vm/config` (`boot-source`, `machine-config`, `drives`, `network-interfaces`, `vsock`,
 * `balloon`, `mmds-config`, `entropy`, `pmem`, `memory-hotplug`). Like Firecracker, it never
 * holds the MMDS data store, the logger or the metrics.
 */
export interface SnapshotState {
  readonly arch: 'x86_64';
  readonly snapshotType: 'Full' | 'Diff';
  readonly instanceId: string;
  /** Guest memory size; the memory file is this many MiB. */
  readonly memSizeMib: number;
  readonly createdAtMs: number;
  readonly vcpus: readonly SnapshotVcpuState[];
  readonly vmConfig: StateFileObject;
  /** Simulated guest state that survives a restore (balloon target, hotplugged memory, …). */
  readonly guest: StateFileObject;
}

/** A decoded state file: its data format version (`vX.Y.Z`) and what it records. */
export interface SnapshotStateFile {
  readonly version: string;
  readonly state: SnapshotState;
}

// Layout (all integers little-endian): magic u64 | major u64 | minor u64 | patch u64 |
// payload length u64 | payload (UTF-8 JSON of SnapshotState) | CRC-32 of everything before, as u64.
// Firecracker's own file is bincode with a CRC-64 trailer; only the header idea is shared.
const HEADER_BYTES = 40;
const TRAILER_BYTES = 8;
const VERSION_PATTERN = /^v(\d+)\.(\d+)\.(\d+)$/u;

/** A state file that is not one the fake wrote, or a version that is not `vX.Y.Z`. */
export class StateFileFormatError extends Error {
  static {
    this.prototype.name = 'StateFileFormatError';
  }
}

const parseVersion = (version: string): readonly [bigint, bigint, bigint] => {
  const match = VERSION_PATTERN.exec(version);
  if (match === null) {
    throw new StateFileFormatError(
      `Snapshot data version ${JSON.stringify(version)} is not of the form vX.Y.Z: pass e.g. "${SNAPSHOT_DATA_VERSION}".`,
    );
  }
  return [BigInt(match[1] ?? '0'), BigInt(match[2] ?? '0'), BigInt(match[3] ?? '0')];
};

/** Encodes a state into the fake's state-file bytes, stamped with `version` (default v10.0.0). */
export const encodeStateFile = (
  state: SnapshotState,
  version: string = SNAPSHOT_DATA_VERSION,
): Buffer => {
  const [major, minor, patch] = parseVersion(version);
  const payload = Buffer.from(JSON.stringify(state), 'utf8');
  const bytes = Buffer.alloc(HEADER_BYTES + payload.length + TRAILER_BYTES);
  bytes.writeBigUInt64LE(SNAPSHOT_MAGIC_X86_64, 0);
  bytes.writeBigUInt64LE(major, 8);
  bytes.writeBigUInt64LE(minor, 16);
  bytes.writeBigUInt64LE(patch, 24);
  bytes.writeBigUInt64LE(BigInt(payload.length), 32);
  payload.copy(bytes, HEADER_BYTES);
  const end = HEADER_BYTES + payload.length;
  bytes.writeBigUInt64LE(BigInt(crc32(bytes.subarray(0, end))), end);
  return bytes;
};

const invalid = (path: string, reason: string): StateFileFormatError =>
  new StateFileFormatError(
    `${path} is not a snapshot state file written by the fake Firecracker: ${reason}.`,
  );

/** The size of a state file's header, which holds its data format version. */
export const STATE_FILE_HEADER_BYTES = HEADER_BYTES;

/** Reads the data format version (`vX.Y.Z`) from the first bytes of a state file. */
export const decodeStateFileVersion = (header: Buffer, path = 'the state file'): string => {
  if (header.length < HEADER_BYTES) {
    throw invalid(
      path,
      `it has ${header.length} bytes, fewer than the ${HEADER_BYTES}-byte header`,
    );
  }
  const magic = header.readBigUInt64LE(0);
  if (magic !== SNAPSHOT_MAGIC_X86_64) {
    throw invalid(path, `magic value 0x${magic.toString(16)} does not match x86_64`);
  }
  return `v${header.readBigUInt64LE(8)}.${header.readBigUInt64LE(16)}.${header.readBigUInt64LE(24)}`;
};

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Decodes and checks (magic, length, CRC, shape) the bytes of a state file. */
export const decodeStateFile = (bytes: Buffer, path = 'the state file'): SnapshotStateFile => {
  const version = decodeStateFileVersion(bytes, path);
  const length = Number(bytes.readBigUInt64LE(32));
  const end = HEADER_BYTES + length;
  if (bytes.length !== end + TRAILER_BYTES) {
    throw invalid(path, `its payload length ${length} does not match its size ${bytes.length}`);
  }
  if (bytes.readBigUInt64LE(end) !== BigInt(crc32(bytes.subarray(0, end)))) {
    throw invalid(path, 'its CRC does not match its contents');
  }
  let state: unknown;
  try {
    state = JSON.parse(bytes.toString('utf8', HEADER_BYTES, end));
  } catch (error) {
    throw new StateFileFormatError(`${path}: the recorded state is not JSON.`, { cause: error });
  }
  if (
    !isObject(state) ||
    state.arch !== 'x86_64' ||
    (state.snapshotType !== 'Full' && state.snapshotType !== 'Diff') ||
    typeof state.memSizeMib !== 'number' ||
    !Array.isArray(state.vcpus) ||
    !isObject(state.vmConfig) ||
    !isObject(state.guest)
  ) {
    throw invalid(
      path,
      'the recorded state lacks arch, snapshotType, memSizeMib, vcpus or vmConfig',
    );
  }
  return { version, state: state as unknown as SnapshotState };
};
