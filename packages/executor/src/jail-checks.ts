// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { realpath } from 'node:fs/promises';
import {
  getDowngradeOwner,
  getProcessOwner,
  type JailerArguments,
  type OwnershipModel,
  type VmmInstallation,
} from '@kindling/vmm-core';
import { ExecutorError } from './errors.js';
import { wrapStepFailure } from './step-failure.js';

/**
 * Checks that the jail's uid/gid are the owner the ownership model hands the VM's files to:
 * Firecracker runs as them in the jail, and could not open files owned by anyone else.
 */
export const checkJailOwner = (jailer: JailerArguments, ownership: OwnershipModel): void => {
  const expected = getDowngradeOwner(ownership) ?? getProcessOwner();
  const { uid, gid } = jailer.options;
  if (uid !== expected.uid || gid !== expected.gid) {
    throw new ExecutorError(
      'ERR_INVALID_INPUT',
      `jailerArguments.uid/gid ${uid}:${gid} differ from ${expected.uid}:${expected.gid}, the owner the '${ownership.kind}' ownership model gives the VM's files, so Firecracker could not open them: use the same ids in both (a 'downgraded' model with the jail's uid and gid)`,
    );
  }
};

/** Checks that the jailer's `--exec-file` is the installation's `firecracker` (after symlinks). */
export const checkExecFile = async (
  jailer: JailerArguments,
  installation: VmmInstallation,
): Promise<void> => {
  const { execFile } = jailer.options;
  const { firecrackerPath } = installation;
  let paths: string[];
  try {
    paths = await Promise.all([realpath(execFile), realpath(firecrackerPath)]);
  } catch (error) {
    throw wrapStepFailure(
      'ERR_PREPARE_FAILED',
      `find the Firecracker binary (${execFile}, ${firecrackerPath})`,
      error,
    );
  }
  if (paths[0] !== paths[1]) {
    throw new ExecutorError(
      'ERR_INVALID_INPUT',
      `jailerArguments.execFile ${execFile} is not the installation's firecracker ${firecrackerPath}: give the jailer the installation's binary`,
    );
  }
};
