// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import type { Command } from 'commander';
import { watchPid } from '@kindling/executor';
import { connectApi, type CliContext } from '../context.js';
import { CliError } from '../errors.js';
import { isAlive } from '../host/liveness.js';
import { requireVmRecord, type VmRecord } from '../host/vm-records.js';
import { readVmStatus } from '../vm/vm-status.js';
import { runStep } from '../progress.js';
import { parseInteger } from '../vm/run-options.js';
import { reconcileAll } from './reconcile.js';
import { defineAction, type ExitBox } from './command-kit.js';

const setState = (context: CliContext, box: ExitBox, state: 'Paused' | 'Resumed') =>
  defineAction<object, [string]>(context, box, async ({ out }, name) => {
    const record = await requireVmRecord(context.paths, name);
    await using api = connectApi(record);
    await api.patch('/vm', { state });
    const now = state === 'Paused' ? 'paused' : 'running';
    out.data({ name, state: now }, () => `${name} ${now}`);
  });

/** `pause`, `resume` and `stop` of a recorded VM. */
export const registerControl = (program: Command, context: CliContext, box: ExitBox): void => {
  program
    .command('pause <name>')
    .description('pause a running VM (PATCH /vm Paused)')
    .option('--json', 'print the result as JSON')
    .action(setState(context, box, 'Paused'));
  program
    .command('resume <name>')
    .description('resume a paused VM (PATCH /vm Resumed)')
    .option('--json', 'print the result as JSON')
    .action(setState(context, box, 'Resumed'));
  program
    .command('stop <name>')
    .description('shut a VM down: Ctrl+Alt+Del, then a kill; its files are removed')
    .option('--graceful-timeout <ms>', 'how long the guest has to react to Ctrl+Alt+Del', '10000')
    .option('--timeout <ms>', 'how long to wait for it to be gone after that', '30000')
    .option('--json', 'print the result as JSON')
    .action(
      defineAction<{ timeout: string; gracefulTimeout: string }, [string]>(
        context,
        box,
        async ({ out, options }, name) => {
          const timeoutMs = parseInteger('--timeout', options.timeout, 1, 600_000);
          const gracefulMs = parseInteger(
            '--graceful-timeout',
            options.gracefulTimeout,
            1,
            600_000,
          );
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
          const owner = await watchPid(record.owner.pid, { startTime: record.owner.startTime });
          const how = await runStep(out, `Stopping VM "${name}"`, async () => {
            // Ctrl+Alt+Del through the API: the guest reboots, Firecracker exits, and the owner
            // (\`run\` or the background process of --detach) cleans up and ends.
            if (await sendCtrlAltDel(record)) {
              try {
                await owner.wait({ timeoutMs: gracefulMs });
                return 'shut-down' as const;
              } catch {
                // The guest ignored it: on to SIGTERM, which kills Firecracker at once.
              }
            }
            owner.kill('SIGTERM');
            try {
              await owner.wait({ timeoutMs });
            } catch (error) {
              throw new CliError(
                'ERR_WAIT_TIMEOUT',
                `VM "${name}" was not gone within ${timeoutMs} ms: kill its owner (pid ${record.owner.pid}) and run \`kindling reconcile\``,
                { cause: error },
              );
            }
            return 'killed' as const;
          });
          out.data({ name, stopped: true, how }, () => `${name} stopped (${how})`);
        },
      ),
    );
};

// Whether the VM took Ctrl+Alt+Del (a paused one is resumed first, as Firecracker needs).
const sendCtrlAltDel = async (record: VmRecord): Promise<boolean> => {
  await using api = connectApi(record);
  try {
    if ((await readVmStatus(record)) === 'paused') {
      await api.patch('/vm', { state: 'Resumed' });
    }
    await api.put('/actions', { action_type: 'SendCtrlAltDel' });
    return true;
  } catch {
    // Its API does not answer: SIGTERM to the owner is what is left.
    return false;
  }
};
