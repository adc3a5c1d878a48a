// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { open, readFile, writeFile } from 'node:fs/promises';
import { FakeVmmError } from '../firecracker/errors.js';
import {
  decodeStateFile as decodeStateFileFormat,
  decodeStateFileVersion as decodeStateFileVersionFormat,
  encodeStateFile as encodeStateFileFormat,
  STATE_FILE_HEADER_BYTES,
  StateFileFormatError,
  type SnapshotState,
  type SnapshotStateFile,
} from './state-file-format.js';

export {
  SNAPSHOT_DATA_VERSION,
  SNAPSHOT_MAGIC_X86_64,
  type SnapshotState,
  type SnapshotStateFile,
  type SnapshotVcpuState,
  type StateFileObject,
} from './state-file-format.js';

const asReadError = (error: unknown): unknown =>
  error instanceof StateFileFormatError
    ? new FakeVmmError('ERR_STATE_FILE_READ', error.message, { cause: error })
    : error;

/** Decodes and checks a state file's bytes; a bad file throws `FakeVmmError` `ERR_STATE_FILE_READ`. */
export const decodeStateFile = (bytes: Buffer, path?: string): SnapshotStateFile => {
  try {
    return decodeStateFileFormat(bytes, path);
  } catch (error) {
    throw asReadError(error);
  }
};

/** Reads the version (`vX.Y.Z`) from a state file's header; throws `FakeVmmError` `ERR_STATE_FILE_READ`. */
export const decodeStateFileVersion = (header: Buffer, path?: string): string => {
  try {
    return decodeStateFileVersionFormat(header, path);
  } catch (error) {
    throw asReadError(error);
  }
};

/** Encodes a state file; a version not of the form `vX.Y.Z` throws `FakeVmmError` `ERR_STATE_FILE_WRITE`. */
export const encodeStateFile = (state: SnapshotState, version?: string): Buffer => {
  try {
    return encodeStateFileFormat(state, version);
  } catch (error) {
    throw error instanceof StateFileFormatError
      ? new FakeVmmError('ERR_STATE_FILE_WRITE', error.message, { cause: error })
      : error;
  }
};

/** Options of the state-file readers and writers. */
export interface StateFileOptions {
  readonly signal?: AbortSignal;
}

/** Writes (creating or truncating, as Firecracker does) a state file at `path`. */
export const writeStateFile = async (
  path: string,
  state: SnapshotState,
  options: StateFileOptions & { readonly version?: string } = {},
): Promise<void> => {
  const bytes = encodeStateFile(state, options.version);
  try {
    await writeFile(path, bytes, options.signal ? { signal: options.signal } : {});
  } catch (error) {
    throw new FakeVmmError('ERR_STATE_FILE_WRITE', `Could not write the state file ${path}.`, {
      cause: error,
    });
  }
};

const readFailure = (path: string, error: unknown): FakeVmmError =>
  new FakeVmmError('ERR_STATE_FILE_READ', `Could not read the state file ${path}: does it exist?`, {
    cause: error,
  });

/** Reads and checks a whole state file. */
export const readStateFile = async (
  path: string,
  options: StateFileOptions = {},
): Promise<SnapshotStateFile> => {
  let bytes: Buffer;
  try {
    bytes = await readFile(path, options.signal ? { signal: options.signal } : {});
  } catch (error) {
    throw readFailure(path, error);
  }
  return decodeStateFile(bytes, path);
};

/** Reads only the data format version (`vX.Y.Z`) of a state file, as `--describe-snapshot` does. */
export const readStateFileVersion = async (
  path: string,
  options: StateFileOptions = {},
): Promise<string> => {
  options.signal?.throwIfAborted();
  const header = Buffer.alloc(STATE_FILE_HEADER_BYTES);
  let read: number;
  try {
    await using file = await open(path, 'r');
    ({ bytesRead: read } = await file.read(header, 0, STATE_FILE_HEADER_BYTES, 0));
  } catch (error) {
    throw readFailure(path, error);
  }
  return decodeStateFileVersion(header.subarray(0, read), path);
};
