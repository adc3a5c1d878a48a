// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { closeSync, openSync, readSync } from 'node:fs';
import {
  decodeStateFileVersion,
  SNAPSHOT_DATA_VERSION,
  STATE_FILE_HEADER_BYTES,
} from '../../snapshot/state-file-format.js';
import { LOG_SITES } from '../firecracker-logger.js';
import { describeIoError } from '../../rust/io-error.js';
import { EXIT_CODES, failMain, succeedMain, type StartupIo } from '../startup-failures.js';
import { FIRECRACKER_VERSION } from '../version.js';
import { formatFirecrackerHelp } from './firecracker-flags.js';

/** The first log line of every run that gets past the informational flags. */
export const logRunning = (io: StartupIo): void => {
  io.logger.info(LOG_SITES.mainStart, `Running Firecracker v${FIRECRACKER_VERSION}`);
};

/** `--help`: the version line, an empty line, then every argument. */
export const printHelp = (io: StartupIo): number => {
  io.stdout.write(`Firecracker v${FIRECRACKER_VERSION}\n\n${formatFirecrackerHelp()}\n`);
  return succeedMain(io);
};

/** `--version`: `Firecracker v1.16.1` and an empty line. */
export const printVersion = (io: StartupIo): number => {
  io.stdout.write(`Firecracker v${FIRECRACKER_VERSION}\n\n`);
  return succeedMain(io);
};

/** `--snapshot-version`: the data format version this build writes. */
export const printSnapshotVersion = (io: StartupIo): number => {
  io.stdout.write(`${SNAPSHOT_DATA_VERSION}\n`);
  return succeedMain(io);
};

const readHeader = (path: string): Buffer => {
  const fd = openSync(path, 'r');
  try {
    const header = Buffer.alloc(STATE_FILE_HEADER_BYTES);
    return header.subarray(0, readSync(fd, header, 0, STATE_FILE_HEADER_BYTES, 0));
  } finally {
    closeSync(fd);
  }
};

/** `--describe-snapshot`: the state file's data format version, or an error naming what failed. */
export const describeSnapshot = (io: StartupIo, path: string): number => {
  let header: Buffer;
  try {
    header = readHeader(path);
  } catch (error) {
    return failMain(
      io,
      `When printing Snapshot Data format: Unable to open snapshot state file: ${describeIoError(error).display}`,
      `PrintSnapshotDataFormat(OpenSnapshot(${describeIoError(error).debug}))`,
      EXIT_CODES.generic,
    );
  }
  try {
    io.stdout.write(`${decodeStateFileVersion(header, path)}\n`);
    return succeedMain(io);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return failMain(
      io,
      `When printing Snapshot Data format: Invalid data format version of snapshot file: ${reason}`,
      `PrintSnapshotDataFormat(SnapshotVersion(${JSON.stringify(reason)}))`,
      EXIT_CODES.generic,
    );
  }
};
