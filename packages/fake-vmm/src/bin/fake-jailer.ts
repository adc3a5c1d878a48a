#!/usr/bin/env node
// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import process from 'node:process';
import { DirectSpawner } from '@kindling/spawner';
import { runFirecracker } from '../firecracker/main.js';
import { runJailer } from '../jailer/run-jailer.js';
import { resolveFakeBin } from '../package-paths.js';

const code = await runJailer({
  argv: process.argv.slice(2),
  env: { ...process.env },
  stdout: process.stdout,
  stderr: process.stderr,
  spawner: new DirectSpawner(),
  firecrackerBin: resolveFakeBin('fake-firecracker'),
  // The real jailer exec(2)s Firecracker: same pid, same stdio, the jail's environment.
  runFirecracker: ({ argv, chrootDir, env }) =>
    runFirecracker({
      argv,
      chrootDir,
      env,
      stdout: process.stdout,
      stderr: process.stderr,
      stdin: process.stdin,
    }),
});
// Exit now, as the process exec'd into would: nothing of the jailer's may keep it alive.
process.exit(code);
