// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import type { Command } from 'commander';
import type { CliContext } from '../context.js';
import type { ExitBox } from './command-kit.js';
import { registerApi } from './api.js';
import { registerControl } from './control.js';
import { registerEvents } from './events.js';
import { registerLogs } from './logs.js';
import { registerLs } from './ls.js';
import { registerMetrics } from './metrics.js';
import { registerSnapshot } from './snapshot.js';

/** The commands that act on a recorded VM: ls, inspect, pause, resume, stop, api, logs, metrics, snapshot, events. */
export const registerVmCommands = (program: Command, context: CliContext, box: ExitBox): void => {
  registerApi(program, context, box);
  registerControl(program, context, box);
  registerEvents(program, context, box);
  registerLogs(program, context, box);
  registerLs(program, context, box);
  registerMetrics(program, context, box);
  registerSnapshot(program, context, box);
};
