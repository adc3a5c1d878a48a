// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { findExecutable, runCommand } from './commands.ts';

const DATA_DRIVE_MIB = 8;
/** The label of the data drive's ext4, which the guest prints at boot. */
export const DATA_DRIVE_LABEL = 'kindling-data';

/** Writes the ext4 data drive (mkfs.ext4 -d: no root, no mount) with one file on it. */
export const buildDataDrive = async (work: string, output: string): Promise<void> => {
  const mkfs = findExecutable('mkfs.ext4');
  if (mkfs === undefined) {
    throw new Error('mkfs.ext4 was not found: install e2fsprogs (apt-get install e2fsprogs)');
  }
  const content = path.join(work, 'data');
  await mkdir(content, { recursive: true });
  await writeFile(path.join(content, 'hello.txt'), 'hello from the kindling data drive\n');
  await rm(output, { force: true });
  await runCommand(mkfs, [
    '-q',
    '-F',
    '-L',
    DATA_DRIVE_LABEL,
    '-d',
    content,
    output,
    `${DATA_DRIVE_MIB}M`,
  ]);
};
