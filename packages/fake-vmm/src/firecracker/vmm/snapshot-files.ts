// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import {
  closeSync,
  constants,
  fstatSync,
  ftruncateSync,
  openSync,
  readFileSync,
  writeSync,
} from 'node:fs';
import { once } from 'node:events';
import { createConnection, type Socket } from 'node:net';
import {
  decodeStateFile,
  encodeStateFile,
  SNAPSHOT_DATA_VERSION,
  type SnapshotState,
  type SnapshotStateFile,
} from '../../snapshot/state-file-format.js';
import { describeIoError } from '../../rust/io-error.js';

const MIB = 1024 * 1024;
const PAGE_SIZE = 4096;

/** A snapshot step failed; `message` is Firecracker's text after its category prefix. */
export class SnapshotStepError extends Error {
  static {
    this.prototype.name = 'SnapshotStepError';
  }
}

const step = <T>(describe: (io: string) => string, run: () => T): T => {
  try {
    return run();
  } catch (error) {
    throw new SnapshotStepError(describe(describeIoError(error).display), { cause: error });
  }
};

/** Writes the state file (created or truncated), as `snapshot_state_to_file` does. */
export const writeSnapshotState = (path: string, state: SnapshotState): void => {
  const bytes = encodeStateFile(state);
  const fd = step(
    (io) => `Cannot perform open on the snapshot backing file: ${io}`,
    () => openSync(path, constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC, 0o666),
  );
  try {
    step(
      (io) => `Cannot perform write on the snapshot backing file: ${io}`,
      () => writeSync(fd, bytes),
    );
  } finally {
    closeSync(fd);
  }
};

/** The one page the fake guest dirties between snapshots, stamped with its run count. */
export const dirtyPage = (generation: number): Buffer => {
  const page = Buffer.alloc(PAGE_SIZE);
  page.write(`kindling-fake-vmm dirty page ${generation}\n`);
  return page;
};

/**
 * Writes the guest memory file: `Full` is all of memory (zeros: a sparse file of the memory size,
 * nothing written); `Diff` writes only the dirty page, into a same-size file left as it was.
 */
export const writeSnapshotMemory = (
  path: string,
  memSizeMib: number,
  type: 'Full' | 'Diff',
  generation: number,
): void => {
  const size = memSizeMib * MIB;
  const fd = step(
    (io) => `Cannot perform open on the memory backing file: ${io}`,
    () => openSync(path, constants.O_RDWR | constants.O_CREAT, 0o666),
  );
  try {
    step(
      (io) => `Cannot perform set_len on the memory backing file: ${io}`,
      () => {
        if (type === 'Full') {
          ftruncateSync(fd, 0);
          ftruncateSync(fd, size);
        } else if (fstatSync(fd).size !== size) {
          ftruncateSync(fd, size);
        }
      },
    );
    if (type === 'Diff') {
      step(
        (io) => `Cannot perform write on the memory backing file: ${io}`,
        () => writeSync(fd, dirtyPage(generation), 0, PAGE_SIZE, 0),
      );
    }
  } finally {
    closeSync(fd);
  }
};

const RESTORE = 'Failed to restore from snapshot';

/** Reads and checks a state file for a restore (Firecracker accepts the same major, minor ≤ its own). */
export const readSnapshotState = (path: string): SnapshotStateFile => {
  const bytes = step(
    (io) =>
      `${RESTORE}: Failed to get snapshot state from file: Failed to open snapshot file: ${io}`,
    () => readFileSync(path),
  );
  let file: SnapshotStateFile;
  try {
    file = decodeStateFile(bytes, path);
  } catch (error) {
    throw new SnapshotStepError(
      `${RESTORE}: Failed to get snapshot state from file: Failed to load snapshot state from file: ${error instanceof Error ? error.message : String(error)}`,
      { cause: error },
    );
  }
  const [major, minor] = file.version.slice(1).split('.').map(Number);
  const [ownMajor, ownMinor] = SNAPSHOT_DATA_VERSION.slice(1).split('.').map(Number);
  if (major !== ownMajor || (minor ?? 0) > (ownMinor ?? 0)) {
    throw new SnapshotStepError(
      `${RESTORE}: Failed to get snapshot state from file: Failed to load snapshot state from file: Invalid data version: ${file.version.slice(1)}`,
    );
  }
  return file;
};

/** Checks a `File` memory backend: it must open and hold all of guest memory. */
export const checkMemoryFile = (path: string, memSizeMib: number): void => {
  const prefix = `${RESTORE}: Failed to load guest memory: Error creating guest memory from file`;
  const fd = step(
    (io) => `${prefix}: ${io}`,
    () => openSync(path, 'r'),
  );
  try {
    if (fstatSync(fd).size < memSizeMib * MIB) {
      throw new SnapshotStepError(`${prefix}: the file is smaller than the guest memory`);
    }
  } finally {
    closeSync(fd);
  }
};

/**
 * Connects to a `Uffd` backend and sends the guest memory mappings as JSON. Node cannot pass the
 * userfaultfd itself (SCM_RIGHTS), so the handler receives the mappings only.
 */
export const connectUffdHandler = async (path: string, memSizeMib: number): Promise<Socket> => {
  const socket = createConnection(path);
  try {
    await once(socket, 'connect');
  } catch (error) {
    socket.destroy();
    throw new SnapshotStepError(
      `${RESTORE}: Failed to load guest memory: Error creating guest memory from uffd: Failed to connect to UDS Unix stream: ${describeIoError(error).display}`,
      { cause: error },
    );
  }
  socket.on('error', () => socket.destroy());
  socket.write(
    JSON.stringify([
      {
        base_host_virt_addr: 0x7f00_0000_0000,
        size: memSizeMib * MIB,
        offset: 0,
        page_size: PAGE_SIZE,
        page_size_kib: PAGE_SIZE,
      },
    ]),
  );
  return socket;
};
