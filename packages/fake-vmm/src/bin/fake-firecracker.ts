#!/usr/bin/env node
// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { FAKE_ENV } from '../faults/env-switches.js';
import { runFirecracker } from '../firecracker/main.js';

const chrootDir = process.env[FAKE_ENV.chroot];
const code = await runFirecracker({
  argv: process.argv.slice(2),
  ...(chrootDir === undefined || chrootDir === '' ? {} : { chrootDir }),
  stdin: process.stdin,
});
process.exit(code);
