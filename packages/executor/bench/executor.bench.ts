// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

// Run with Node 24 after a build: `node bench/executor.bench.ts` (from packages/executor); the
// jailed figures need root. Against the fake Firecracker, or a real one when KINDLING_FIRECRACKER
// (and KINDLING_JAILER) are set. Each round runs one VMM's life through an executor (prepare,
// invoke, wait for the API socket, SIGKILL, cleanup), then the same by hand, so that both see
// the same machine load:
//   invoke:  from the call to the handle; by hand, node:child_process.spawn of the executor's own
//            command line until its `spawn` event
//   cleanup: executor.cleanup() once the VMM has gone; by hand, fs.rm of what it left (the API
//            socket and a log file unrestricted, the jail folder jailed), concurrently

import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { ProcessHandle } from '@kindling/executor';
import { recordFigure, sampleCount, timeOnce } from '../../../tooling/bench-stats.ts';
import {
  createBenchInstallation,
  createJailedVm,
  createUnrestrictedVm,
  type BenchVm,
} from './bench-vm.ts';
import { waitForSocket } from './socket-wait.ts';

const ROUNDS = sampleCount(40, 12);
const WARMUP = 3;
const isRoot = process.getuid?.() === 0;

const dir = await mkdtemp(path.join(os.tmpdir(), 'kindling-bench-executor-'));
// A jail's dropped uid must be able to walk down to the jails and the binaries.
await chmod(dir, 0o755);
const installation = await createBenchInstallation(dir);

interface Round {
  readonly invokeMs: number;
  readonly cleanupMs: number;
}

const runWithExecutor = async ({ executor, context, socketPath }: BenchVm): Promise<Round> => {
  await executor.prepare(context);
  let handle: ProcessHandle | undefined;
  const invokeMs = await timeOnce(async () => {
    handle = await executor.invoke(context);
  });
  await waitForSocket(socketPath);
  handle?.kill('SIGKILL');
  await handle?.wait();
  const cleanupMs = await timeOnce(() => executor.cleanup(context));
  return { invokeMs, cleanupMs };
};

const runByHand = async (vm: BenchVm): Promise<Round> => {
  const { command, socketPath, leftovers } = vm;
  await vm.layOut();
  let exited: Promise<unknown> = Promise.resolve();
  let child: ReturnType<typeof spawn> | undefined;
  const invokeMs = await timeOnce(async () => {
    child = spawn(command.binary, command.args, { stdio: 'pipe' });
    exited = once(child, 'exit');
    await once(child, 'spawn');
  });
  await waitForSocket(socketPath);
  child?.kill('SIGKILL');
  await exited;
  const cleanupMs = await timeOnce(() =>
    Promise.all(leftovers.map((target) => rm(target, { recursive: true, force: true }))),
  );
  return { invokeMs, cleanupMs };
};

const benchRounds = async (createVm: () => BenchVm): Promise<{ own: Round[]; byHand: Round[] }> => {
  const own: Round[] = [];
  const byHand: Round[] = [];
  for (let round = 0; round < ROUNDS + WARMUP; round += 1) {
    const ownRound = await runWithExecutor(createVm());
    const handRound = await runByHand(createVm());
    if (round >= WARMUP) {
      own.push(ownRound);
      byHand.push(handRound);
    }
  }
  return { own, byHand };
};

const report = (label: string, rounds: { own: Round[]; byHand: Round[] }, rmWhat: string): void => {
  recordFigure({
    name: `executor: invoke, ${label}`,
    unit: 'ms',
    samples: rounds.own.map((round) => round.invokeMs),
    baseline: rounds.byHand.map((round) => round.invokeMs),
    baselineName: 'child_process.spawn',
    // Issue 17: the time Kindling controls at most 1.2× the Node baseline.
    target: { ratio: 1.2 },
  });
  recordFigure({
    name: `executor: cleanup, ${label}`,
    unit: 'ms',
    samples: rounds.own.map((round) => round.cleanupMs),
    baseline: rounds.byHand.map((round) => round.cleanupMs),
    baselineName: `fs.rm of ${rmWhat}`,
    target: { ratio: 1.2 },
  });
};

try {
  report(
    'unrestricted',
    await benchRounds(() => createUnrestrictedVm(installation, dir)),
    'the socket and the log',
  );
  if (isRoot) {
    report('jailed', await benchRounds(() => createJailedVm(installation, dir)), 'the jail');
  } else {
    console.log('executor: jailed figures skipped: the jailer needs root');
  }
} finally {
  await rm(dir, { recursive: true, force: true });
}
