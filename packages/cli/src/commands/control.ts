// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import type { Command } from 'commander';
import { connectApi, type CliContext } from '../context.js';
import { isAlive } from '../host/liveness.js';
import { requireVmRecord } from '../host/vm-records.js';
import { stopOwnedVm } from '../vm/stop-owned-vm.js';
import { runStep } from '../progress.js';
import { parseInteger } from '../vm/run-options.js';
import { reconcileAll } from './reconcile.js';
import { defineAction, type ExitBox } from './command-kit.js';
import {
  setRemoteState,
  stopRemoteVm,
  addServerOptions,
  type ServerFlags,
} from '../remote/remote.js';

const setState = (context: CliContext, box: ExitBox, state: 'Paused' | 'Resumed') =>
  defineAction<ServerFlags, [string]>(context, box, async ({ out, options }, name) => {
    if (options.server !== undefined) {
      await setRemoteState(out, { ...options, server: options.server }, name, state);
      return;
    }
    const record = await requireVmRecord(context.paths, name);
    await using api = connectApi(record);
    await api.patch('/vm', { state });
    const now = state === 'Paused' ? 'paused' : 'running';
    out.data({ name, state: now }, () => `${name} ${now}`);
  });

/** `pause`, `resume` and `stop` of a recorded VM. */
export const registerControl = (program: Command, context: CliContext, box: ExitBox): void => {
  addServerOptions(
    program
      .command('pause <name>')
      .description('pause a running VM (PATCH /vm Paused)')
      .option('--json', 'print the result as JSON'),
  ).action(setState(context, box, 'Paused'));
  addServerOptions(
    program
      .command('resume <name>')
      .description('resume a paused VM (PATCH /vm Resumed)')
      .option('--json', 'print the result as JSON'),
  ).action(setState(context, box, 'Resumed'));
  addServerOptions(
    program
      .command('stop <name>')
      .description('shut a VM down: Ctrl+Alt+Del, then a kill; its files are removed')
      .option('--graceful-timeout <ms>', 'how long the guest has to react to Ctrl+Alt+Del', '10000')
      .option('--timeout <ms>', 'how long to wait for it to be gone after that', '30000')
      .option('--keep', "with --server: keep the server's record of the stopped VM")
      .option('--json', 'print the result as JSON'),
  ).action(
    defineAction<
      ServerFlags & { timeout: string; gracefulTimeout: string; keep?: boolean },
      [string]
    >(context, box, async ({ out, options }, name) => {
      const timeoutMs = parseInteger('--timeout', options.timeout, 1, 600_000);
      const gracefulMs = parseInteger('--graceful-timeout', options.gracefulTimeout, 1, 600_000);
      if (options.server !== undefined) {
        await stopRemoteVm(out, { ...options, server: options.server }, name, {
          gracefulMs,
          timeoutMs,
          keep: options.keep === true,
        });
        return;
      }
      const record = await requireVmRecord(context.paths, name);
      if (!(await isAlive(record.owner))) {
        // Its owner died without cleaning up: what reconcile does, for every such VM.
        await reconcileAll(context);
        out.data(
          { name, stopped: true, how: 'reconciled' },
          () => `${name} was orphaned: cleaned up`,
        );
        return;
      }
      const how = await runStep(out, `Stopping VM "${name}"`, () =>
        stopOwnedVm(record, gracefulMs, timeoutMs),
      );
      out.data({ name, stopped: true, how }, () => `${name} stopped (${how})`);
    }),
  );
};
