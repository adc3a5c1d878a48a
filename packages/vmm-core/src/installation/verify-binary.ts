// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { stat } from 'node:fs/promises';
import type { ProcessExit, ProcessSpawner } from '@kindling/spawner';
import { VmmCoreError } from '../errors.js';
import { findExecutableFormatProblem } from './executable-format.js';
import { readCapped } from './read-capped.js';
import { describeVersionLine, parseVersionOutput, type VmmBinary } from './version-output.js';

const MAX_OUTPUT_BYTES = 16 * 1024;
const EXCERPT_CHARS = 200;

/** What `verifyBinary` needs to run one binary's `--version`. */
export interface VerifyBinaryContext {
  readonly spawner: ProcessSpawner;
  /** Aborts this check; the caller combines its own signal with the timeout. */
  readonly signal: AbortSignal;
  /** Whether `signal` fired because of the timeout (then it is `ERR_BINARY_WRONG`). */
  readonly timedOut: () => boolean;
  readonly timeoutMs: number;
}

const excerpt = (text: string): string => {
  const trimmed = text.trim();
  return JSON.stringify(
    trimmed.length > EXCERPT_CHARS ? `${trimmed.slice(0, EXCERPT_CHARS)}…` : trimmed,
  );
};

const describeExit = (exit: ProcessExit): string =>
  exit.code === null ? `was killed by ${exit.signal}` : `exited with code ${exit.code}`;

const isErrnoException = (error: unknown): error is NodeJS.ErrnoException =>
  error instanceof Error && 'code' in error;

/**
 * Checks a binary without running it: it must exist (`ERR_BINARY_MISSING`) and be a regular
 * file, executable, built for this machine (`ERR_BINARY_NOT_EXECUTABLE`). Cheap enough to run
 * before every VM starts.
 */
export const checkVmmBinaryFile = async (binary: VmmBinary, path: string): Promise<void> => {
  let mode: number;
  let isFile: boolean;
  try {
    const stats = await stat(path);
    mode = stats.mode;
    isFile = stats.isFile();
  } catch (error) {
    if (isErrnoException(error) && (error.code === 'ENOENT' || error.code === 'ENOTDIR')) {
      throw new VmmCoreError(
        'ERR_BINARY_MISSING',
        `The ${binary} binary ${path} does not exist: install Firecracker's release there or fix the path.`,
        { cause: error },
      );
    }
    throw new VmmCoreError(
      'ERR_BINARY_NOT_EXECUTABLE',
      `The ${binary} binary ${path} cannot be read (${String(error)}): check the permissions of its folders.`,
      { cause: error },
    );
  }
  if (!isFile) {
    throw new VmmCoreError(
      'ERR_BINARY_NOT_EXECUTABLE',
      `The ${binary} binary ${path} is not a regular file: point the installation at the binary itself.`,
    );
  }
  // Checked on the mode rather than with access(X_OK): an elevated spawner may run a binary that
  // only root can execute.
  if ((mode & 0o111) === 0) {
    throw new VmmCoreError(
      'ERR_BINARY_NOT_EXECUTABLE',
      `The ${binary} binary ${path} is not executable (mode ${(mode & 0o7777).toString(8).padStart(4, '0')}): run chmod +x on it.`,
    );
  }
  const formatProblem = await findExecutableFormatProblem(path);
  if (formatProblem !== undefined) {
    throw new VmmCoreError(
      'ERR_BINARY_NOT_EXECUTABLE',
      `The ${binary} binary ${path} ${formatProblem}: download the release for this machine.`,
    );
  }
};

/**
 * Checks one binary of an installation: it exists, it runs, `--version` names the right binary
 * and the expected version. Each failure has its own `VmmCoreError` code.
 */
export const verifyBinary = async (
  binary: VmmBinary,
  path: string,
  expectedVersion: string,
  context: VerifyBinaryContext,
): Promise<void> => {
  await checkVmmBinaryFile(binary, path);
  let child;
  try {
    child = await context.spawner.spawn(path, ['--version'], {
      stdio: { stdin: 'ignore', stdout: 'pipe', stderr: 'pipe' },
      signal: context.signal,
    });
  } catch (error) {
    if (!context.timedOut()) {
      context.signal.throwIfAborted();
    }
    throw new VmmCoreError(
      'ERR_BINARY_NOT_EXECUTABLE',
      `Could not run the ${binary} binary ${path} (${String(error)}): is it an executable for this machine?`,
      { cause: error },
    );
  }
  const [stdout, stderr, exit] = await Promise.all([
    readCapped(child.stdout, MAX_OUTPUT_BYTES),
    readCapped(child.stderr, MAX_OUTPUT_BYTES),
    child.exited,
  ]);
  if (context.signal.aborted) {
    if (!context.timedOut()) {
      context.signal.throwIfAborted();
    }
    throw new VmmCoreError(
      'ERR_BINARY_WRONG',
      `${path} --version did not finish within ${context.timeoutMs} ms: is it Firecracker's ${binary}?`,
      { cause: context.signal.reason },
    );
  }
  const expectedLine = describeVersionLine(binary, expectedVersion);
  if (exit.code !== 0) {
    throw new VmmCoreError(
      'ERR_BINARY_WRONG',
      `${path} --version ${describeExit(exit)} (stdout ${excerpt(stdout)}, stderr ${excerpt(stderr)}) instead of printing "${expectedLine}": is it Firecracker's ${binary}?`,
    );
  }
  const version = parseVersionOutput(binary, stdout);
  if (version === undefined) {
    throw new VmmCoreError(
      'ERR_BINARY_WRONG',
      `${path} --version printed ${excerpt(stdout)} instead of "${expectedLine}": it is not Firecracker's ${binary}.`,
    );
  }
  if (version !== expectedVersion) {
    throw new VmmCoreError(
      'ERR_BINARY_VERSION',
      `${path} is ${binary} v${version}, not v${expectedVersion}: install v${expectedVersion} or expect v${version}.`,
    );
  }
};
