// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { CliError, invalidInput } from '../errors.js';
import { isAlive } from '../host/liveness.js';
import type { StatePaths } from '../host/state-paths.js';
import { readVmRecord, removeVmFolder } from '../host/vm-records.js';
import { VM_NAME } from './launch-spec.js';

/** Refuses a bad or taken name; a record whose owner is gone is stale and goes. */
export const claimName = async (paths: StatePaths, name: string): Promise<void> => {
  if (!VM_NAME.test(name)) {
    throw invalidInput(
      '--name',
      'expected 1 to 40 letters, digits or "-", starting with a letter or digit',
      name,
    );
  }
  const existing = await readVmRecord(paths, name);
  if (existing !== undefined && (await isAlive(existing.owner))) {
    throw new CliError(
      'ERR_VM_NAME_TAKEN',
      `A VM named "${name}" is running (pid ${existing.vmm.pid}): choose another --name, or \`kindling stop ${name}\` first`,
    );
  }
  await removeVmFolder(paths, name);
};
