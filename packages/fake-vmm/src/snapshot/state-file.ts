// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { open, readFile, writeFile } from 'node:fs/promises';
import { FakeVmmError } from '../firecracker/errors.js';
import {
  decodeStateFile,
  decodeStateFileVersion,
  encodeStateFile,
  STATE_FILE_HEADER_BYTES,
  StateFileFormatError,
  type SnapshotState,
  type SnapshotStateFile,
} from './state-file-format.js';

export {
  decodeStateFile,
  decodeStateFileVersion,
  encodeStateFile,
  SNAPSHOT_DATA_VERSION,
  SNAPSHOT_MAGIC_X86_64,
  type SnapshotState,
  type SnapshotStateFile,
  type SnapshotVcpuState,
  type StateFileObject,
} from './state-file-format.js';

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
  let bytes: Buffer;
  try {
    bytes = encodeStateFile(state, options.version);
  } catch (error) {
    throw new FakeVmmError('ERR_STATE_FILE_WRITE', (error as Error).message, { cause: error });
  }
  try {
    await writeFile(path, bytes, options.signal ? { signal: options.signal } : {});
  } catch (error) {
    throw new FakeVmmError('ERR_STATE_FILE_WRITE', `Could not write the state file ${path}.`, {
      cause: error,
    });
  }
};

const asReadError = (error: unknown): unknown =>
  error instanceof StateFileFormatError
    ? new FakeVmmError('ERR_STATE_FILE_READ', error.message, { cause: error })
    : error;

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
  try {
    return decodeStateFile(bytes, path);
  } catch (error) {
    throw asReadError(error);
  }
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
  try {
    return decodeStateFileVersion(header.subarray(0, read), path);
  } catch (error) {
    throw asReadError(error);
  }
};
