// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { EXIT_CODES, type ExitCode } from '../exit-codes.js';
import type { CliContext } from '../context.js';
import type { Output } from '../output.js';
import { holdVm, type HeldVmEnd } from './hold-vm.js';
import { launchVm } from './launch-vm.js';
import type { LaunchSpec } from './launch-spec.js';

const CTRL_C = 0x03;
const GRACEFUL_TIMEOUT_MS = 10_000;

const EXIT_OF: Readonly<Record<HeldVmEnd['how'], ExitCode>> = {
  ended: EXIT_CODES.ok,
  'shut-down': EXIT_CODES.ok,
  killed: EXIT_CODES.interrupted,
  crashed: EXIT_CODES.vmFailed,
};

const describeExit = (end: HeldVmEnd): string => {
  const { exit } = end;
  const status =
    exit.kind === 'exited'
      ? `code ${exit.code}`
      : exit.kind === 'signaled'
        ? `signal ${exit.signal}`
        : 'unknown status';
  return `${end.how} (${status})`;
};

/**
 * Runs a VM in the foreground: its serial console on stdout, Ctrl-C (or SIGINT, SIGTERM, SIGHUP)
 * shuts it down gracefully, a second one kills it. On a terminal stdin is put in raw mode, so
 * Ctrl-C reaches this process as a key rather than as SIGINT to Firecracker too (they share the
 * terminal's process group).
 */
export const runAttached = async (
  context: CliContext,
  out: Output,
  spec: LaunchSpec,
): Promise<ExitCode> => {
  // Raw from the start: a Ctrl-C while the VM starts is a key too, acted on once it runs.
  const stdin = process.stdin;
  const raw = stdin.isTTY;
  let pending = 0;
  let interrupt = (): void => {
    pending += 1;
  };
  const onKey = (data: Buffer): void => {
    if (data.includes(CTRL_C)) {
      interrupt();
    }
  };
  const onSignal = (): void => interrupt();
  if (raw) {
    stdin.setRawMode(true);
    stdin.on('data', onKey);
  }
  const signals = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
  for (const signal of signals) {
    process.on(signal, onSignal);
  }
  try {
    // No spinner: the serial console shares the terminal from the first byte.
    out.note(`kindling: starting VM "${spec.name}"`);
    const launched = await launchVm(spec, context.paths, (chunk) => {
      if (!out.json) {
        context.io.stdout.write(chunk);
      }
    });
    out.note(
      `kindling: VM "${spec.name}" is running (Firecracker pid ${launched.record.vmm.pid}); Ctrl-C shuts it down, a second Ctrl-C kills it`,
    );
    const held = holdVm(launched, context.paths, GRACEFUL_TIMEOUT_MS);
    interrupt = (): void => {
      const what = held.interrupt();
      if (what === 'shutting-down') {
        out.note('kindling: shutting the VM down (Ctrl+Alt+Del); Ctrl-C again to kill it');
      } else if (what === 'killing') {
        out.note('kindling: killing the VM');
      }
    };
    for (; pending > 0; pending -= 1) {
      interrupt();
    }
    const end = await held.ended;
    out.note(`kindling: VM "${spec.name}" ${describeExit(end)}`);
    out.data({ ...launched.record, end }, () => '');
    return EXIT_OF[end.how];
  } finally {
    for (const signal of signals) {
      process.off(signal, onSignal);
    }
    if (raw) {
      stdin.off('data', onKey);
      stdin.setRawMode(false);
      stdin.pause();
    }
  }
};
