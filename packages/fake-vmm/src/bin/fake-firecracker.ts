#!/usr/bin/env node
// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { FAKE_ENV } from '../faults/env-switches.js';
import { runFirecracker } from '../firecracker/main.js';
import { enterJail } from '../jailer/privileges.js';

const chrootDir = process.env[FAKE_ENV.chroot];
const jailIds = process.env[FAKE_ENV.jailIds];
if (jailIds !== undefined && chrootDir !== undefined) {
  Reflect.deleteProperty(process.env, FAKE_ENV.jailIds);
  const [uid, gid] = jailIds.split(':').map(Number);
  try {
    enterJail(chrootDir, uid ?? Number.NaN, gid ?? Number.NaN);
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  }
}
const code = await runFirecracker({
  argv: process.argv.slice(2),
  ...(chrootDir === undefined || chrootDir === '' ? {} : { chrootDir }),
  stdin: process.stdin,
});
process.exit(code);
