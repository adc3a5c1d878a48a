// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { KindlingError } from '@kindling/spawner';
import type { CliContext } from '../context.js';
import { CliError } from '../errors.js';
import type { VmRecord } from '../host/vm-records.js';
import type { LaunchSpec } from './launch-spec.js';
import type { SupervisorMessage } from './supervise.js';

/**
 * Starts a VM in a background process of its own (a new session, so the terminal's Ctrl-C and
 * hang-up never reach it) and resolves once that process reports the VM running; the VM then
 * outlives this one. A failure to start is reported with the background process's error code.
 */
export const runDetached = async (context: CliContext, spec: LaunchSpec): Promise<VmRecord> => {
  const child = spawn(process.execPath, [context.entry, '__supervise'], {
    detached: true,
    stdio: ['ignore', 'ignore', 'ignore', 'ipc'],
    env: context.io.env,
  });
  try {
    child.send(spec);
    const [message] = (await Promise.race([
      once(child, 'message'),
      once(child, 'exit').then(([code]) => {
        throw new CliError(
          'ERR_SUPERVISOR_FAILED',
          `The background process of --detach exited (code ${String(code)}) before the VM ran: run the same command without --detach to see why`,
        );
      }),
    ])) as [SupervisorMessage];
    if (message.type === 'failed') {
      throw new KindlingError(message.code, message.message);
    }
    return message.record;
  } finally {
    if (child.connected) {
      child.disconnect();
    }
    child.unref();
  }
};
