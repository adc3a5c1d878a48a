// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import type { Command } from 'commander';
import type { CliContext } from '../context.js';
import { EXIT_CODES } from '../exit-codes.js';
import { runDoctorChecks, type DoctorCheck } from '../host/doctor-checks.js';
import type { Output } from '../output.js';
import { defineAction, type ExitBox } from './command-kit.js';

const MARK: Readonly<Record<DoctorCheck['status'], [string, 'green' | 'yellow' | 'red']>> = {
  ok: ['ok', 'green'],
  warn: ['warn', 'yellow'],
  missing: ['missing', 'red'],
};

const renderCheck = (out: Output, check: DoctorCheck): string => {
  const [word, colour] = MARK[check.status];
  const fix = check.fix === undefined ? '' : `\n  ${out.style('dim', '→')} ${check.fix}`;
  return `${out.style(colour, word.padEnd(7))} ${check.check.padEnd(15)} ${check.detail}${fix}`;
};

/** `kindling doctor`: what this host can do, and what to fix. */
export const registerDoctor = (program: Command, context: CliContext, box: ExitBox): void => {
  program
    .command('doctor')
    .description('check what this host can do: KVM, Firecracker, cgroups, networking tools')
    .option('--json', 'print the checks as JSON')
    .action(
      defineAction(context, box, async ({ out }) => {
        const checks = await runDoctorChecks(context.io.env, context.paths);
        const ready = checks.every((check) => !check.required || check.status !== 'missing');
        out.data({ ready, checks }, () =>
          [
            ...checks.map((check) => renderCheck(out, check)),
            ready
              ? 'This host can run microVMs.'
              : 'This host cannot run microVMs yet: fix the lines marked missing.',
          ].join('\n'),
        );
        return ready ? EXIT_CODES.ok : EXIT_CODES.hostNotReady;
      }),
    );
};
