// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { CliError } from '../errors.js';
import { findBinary } from '../host/binaries.js';
import type { LaunchSpec } from './launch-spec.js';

/**
 * The binaries a VM runs with; `ERR_HOST_NOT_READY` when Firecracker (or, jailed, the jailer)
 * cannot be found, saying how to get it.
 */
export const resolveBinaries = (
  env: NodeJS.ProcessEnv,
  jailed: boolean,
): LaunchSpec['binaries'] => {
  const firecracker = findBinary('firecracker', env);
  const jailer = findBinary('jailer', env);
  const editor = findBinary('snapshot-editor', env);
  if (firecracker === undefined) {
    throw new CliError(
      'ERR_HOST_NOT_READY',
      'No firecracker binary found: run `kindling install firecracker`, or set KINDLING_FIRECRACKER to its path (`kindling doctor` checks the host)',
    );
  }
  if (jailed && jailer === undefined) {
    throw new CliError(
      'ERR_HOST_NOT_READY',
      'No jailer binary found for --jailed: run `kindling install firecracker`, or set KINDLING_JAILER to its path',
    );
  }
  // VmmInstallation wants all three; a binary a command never runs may be absent.
  return {
    firecrackerPath: firecracker.path,
    jailerPath: jailer?.path ?? '/nonexistent/jailer',
    snapshotEditorPath: editor?.path ?? '/nonexistent/snapshot-editor',
  };
};
