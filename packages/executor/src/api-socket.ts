// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { lstat, unlink } from 'node:fs/promises';
import path from 'node:path';
import { canConnect, ensurePrivateFolder, kindlingTempFolder } from '@kindling/helpers';
import type { VmmArguments } from '@kindling/vmm-core';
import { ExecutorError } from './errors.js';
import { getErrno, wrapStepFailure } from './step-failure.js';

/** Where Firecracker puts its API socket when `--api-sock` is not given. */
export const DEFAULT_API_SOCKET = '/run/firecracker.socket';

/**
 * The folder of the API sockets Kindling places when not told where: `<tmpdir>/kindling-<uid>/run`,
 * private to this user.
 */
export const defaultApiSocketFolder = (): string => path.join(kindlingTempFolder(), 'run');

/** Where an unrestricted VM's API socket goes when `apiSocket` is not given: `<folder>/<id>.sock`. */
export const defaultApiSocketPath = (vmmArguments: VmmArguments): string =>
  path.join(defaultApiSocketFolder(), `${vmmArguments.id}.sock`);

/** Creates the default socket folder, and refuses one that others could tamper with. */
export const ensureDefaultApiSocketFolder = async (): Promise<void> => {
  for (const folder of [kindlingTempFolder(), defaultApiSocketFolder()]) {
    let problem: string | undefined;
    try {
      problem = await ensurePrivateFolder(folder);
    } catch (error) {
      throw wrapStepFailure('ERR_PREPARE_FAILED', `create the API socket folder ${folder}`, error);
    }
    if (problem !== undefined) {
      throw new ExecutorError(
        'ERR_PREPARE_FAILED',
        `The API socket folder ${folder} ${problem}: remove it, or give vmmArguments.apiSocket`,
      );
    }
  }
};

/** The `--api-sock` path as Firecracker sees it, or `undefined` under `--no-api`. */
export const getVirtualSocketPath = (vmmArguments: VmmArguments): string | undefined =>
  vmmArguments.options.noApi === true
    ? undefined
    : (vmmArguments.options.apiSocket ?? DEFAULT_API_SOCKET);

/**
 * Removes an API socket left by an earlier Firecracker, which does not unlink it on exit and
 * refuses to start while it exists ("Failed to open the API socket"). A file that is not a
 * socket, or a socket a process still serves, is refused rather than deleted.
 */
export const removeStaleSocket = async (
  socketPath: string,
  signal: AbortSignal | undefined,
): Promise<void> => {
  let stats;
  try {
    stats = await lstat(socketPath);
  } catch (error) {
    if (getErrno(error) === 'ENOENT') {
      return;
    }
    throw wrapStepFailure('ERR_PREPARE_FAILED', `inspect the API socket ${socketPath}`, error);
  }
  if (!stats.isSocket()) {
    throw new ExecutorError(
      'ERR_PREPARE_FAILED',
      `The API socket path ${socketPath} holds something that is not a socket: move it away or choose another apiSocket`,
    );
  }
  if (await canConnect(socketPath, signal)) {
    throw new ExecutorError(
      'ERR_PREPARE_FAILED',
      `The API socket ${socketPath} is in use by a running process (another Firecracker?): stop it or choose another apiSocket`,
    );
  }
  await removeSocket(socketPath, 'ERR_PREPARE_FAILED');
};

/** Removes the API socket if it is there; a missing one is fine. */
export const removeSocket = async (
  socketPath: string,
  code: 'ERR_PREPARE_FAILED' | 'ERR_CLEANUP_FAILED',
): Promise<void> => {
  try {
    // One unlink(2): fs.rm would lstat first, to refuse a folder, which unlink refuses too.
    await unlink(socketPath);
  } catch (error) {
    if (getErrno(error) !== 'ENOENT') {
      throw wrapStepFailure(code, `remove the API socket ${socketPath}`, error);
    }
  }
};
