// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import type { Command } from 'commander';
import type { CliContext } from '../context.js';
import type { ExitBox } from './command-kit.js';
import { registerDemo } from './demo.js';
import { registerDoctor } from './doctor.js';
import { registerInstall } from './install.js';
import { registerReconcile } from './reconcile.js';
import { registerRun } from './run.js';
import { registerServe } from './serve.js';

/** The commands about the host and new VMs: doctor, install, run, reconcile, demo, serve. */
export const registerHostCommands = (program: Command, context: CliContext, box: ExitBox): void => {
  registerDemo(program, context, box);
  registerDoctor(program, context, box);
  registerInstall(program, context, box);
  registerReconcile(program, context, box);
  registerRun(program, context, box);
  registerServe(program, context, box);
};
