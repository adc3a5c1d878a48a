// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import type { Command } from 'commander';
import type { CliContext } from '../context.js';
import { runDemo } from '../demo/run-demo.js';
import { formatMs } from '../progress.js';
import { parseInteger } from '../vm/run-options.js';
import { defineAction, type ExitBox } from './command-kit.js';

interface DemoFlags {
  readonly fake?: boolean;
  readonly marker: string;
  readonly port: string;
  readonly guestTimeout: string;
  readonly socketWaitTimeout: string;
}

/** `kindling demo`: boot, vsock, snapshot, clone, shut down, each step timed. */
export const registerDemo = (program: Command, context: CliContext, box: ExitBox): void => {
  program
    .command('demo')
    .description(
      'boot a microVM, reach it over vsock, snapshot it, restore a clone, shut both down',
    )
    .option('--fake', 'use @kindling/fake-vmm even when a real Firecracker is found')
    .option('--marker <text>', 'the line the guest prints once up', 'kindling-fake-guest: ready')
    .option('--port <port>', "the guest's HTTP port over vsock (POST /ping)", '8000')
    .option('--guest-timeout <ms>', 'how long to wait for the guest', '20000')
    .option('--socket-wait-timeout <ms>', 'how long to wait for each API socket', '15000')
    .option('--json', 'print the steps and their times as JSON')
    .action(
      defineAction<DemoFlags, []>(context, box, async ({ out, options }) => {
        const report = await runDemo(out, context.io.env, {
          fake: options.fake === true,
          marker: options.marker,
          port: parseInteger('--port', options.port, 1, 4_294_967_295),
          guestTimeoutMs: parseInteger('--guest-timeout', options.guestTimeout, 1, 600_000),
          socketWaitTimeoutMs: parseInteger(
            '--socket-wait-timeout',
            options.socketWaitTimeout,
            1,
            600_000,
          ),
        });
        const total = report.steps.reduce((sum, step) => sum + step.ms, 0);
        out.data(report, () =>
          [
            out.table(
              ['STEP', 'TIME'],
              report.steps.map((step) => [step.step, formatMs(step.ms)]),
            ),
            `guest answers over vsock: ${report.answers.map((answer) => JSON.stringify(answer)).join(', ')}`,
            `done in ${formatMs(total)} (${report.backend === 'fake' ? 'fake-vmm' : 'real Firecracker'})`,
          ].join('\n'),
        );
      }),
    );
};
