// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { stat } from 'node:fs/promises';
import { JailedExecutor, UnrestrictedExecutor } from '@kindling/executor';
import { describeValue } from '@kindling/helpers';
import { checkVmmBinaryFile } from '@kindling/vmm-core';
import { listConfigurationFiles, type ConfigurationFile } from './configuration-files.js';
import { VmError } from './errors.js';
import type { ResolvedVmPrepareOptions } from './prepare-options.js';
import { applyVmProfile, type ProfileRateLimiters } from './profile-checks.js';

const errnoOf = (error: unknown): string | undefined =>
  (error as NodeJS.ErrnoException | undefined)?.code;

const refuse = (file: ConfigurationFile, rule: string, fix: string): never => {
  throw new VmError(
    'ERR_INVALID_INPUT',
    `configuration.${file.field}: ${rule}, got ${describeValue(file.path)}: ${fix}`,
  );
};

// A file the VM reads must be there: without this check a missing kernel surfaced as a refused
// boot (unrestricted) or a failed move into the jail (jailed), two codes for one mistake.
const checkInputFile = async (file: ConfigurationFile): Promise<void> => {
  let info;
  try {
    info = await stat(file.path);
  } catch (error) {
    const errno = errnoOf(error);
    return errno === 'ENOENT' || errno === 'ENOTDIR'
      ? refuse(file, 'no such file', 'give the path of an existing file')
      : refuse(
          file,
          `cannot be reached (${errno ?? String(error)})`,
          'check the permissions of its folders',
        );
  }
  if (info.isDirectory()) {
    refuse(file, 'is a folder', 'give the path of a file or a block device');
  }
};

/**
 * Checks, before anything is created or spawned, what can be known up front: the binaries the
 * executor runs, and every file the VM reads (kernel, initrd, drives, pmem, snapshot files). Each
 * mistake gets the same error whatever the executor. The checks run at once; when several fail,
 * the first in this order is reported, as when they ran one after the other. Then the profile's
 * checks (given the rate limiters a restored VM's snapshot recorded): returns the options with
 * the profile applied.
 */
export const checkBeforePrepare = async (
  options: ResolvedVmPrepareOptions,
  snapshotRateLimiters?: ProfileRateLimiters,
): Promise<ResolvedVmPrepareOptions> => {
  const { executor, installation } = options;
  const checks: Promise<void>[] = [];
  if (executor instanceof UnrestrictedExecutor || executor instanceof JailedExecutor) {
    checks.push(checkVmmBinaryFile('firecracker', installation.firecrackerPath));
  }
  if (executor instanceof JailedExecutor) {
    checks.push(checkVmmBinaryFile('jailer', installation.jailerPath));
  }
  for (const file of listConfigurationFiles(options.configuration, options.moveMethod)) {
    if (file.type.kind === 'moved') {
      checks.push(checkInputFile(file));
    }
  }
  const failure = (await Promise.allSettled(checks)).find(
    (outcome): outcome is PromiseRejectedResult => outcome.status === 'rejected',
  );
  if (failure !== undefined) {
    throw failure.reason;
  }
  return applyVmProfile(options, snapshotRateLimiters);
};
