// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import {
  isAlive,
  isRoot,
  listLeftoverProcesses,
  type OwnerProcess,
  startOwnerProcess,
  TEST_WAIT_MS,
  waitUntilGone,
} from '@kindling/test-utils';
import { afterAll, describe, expect, it } from 'vitest';
import { reconcile } from '../src/index.js';
import { FakeSetup } from './support/fake-setup.js';
import type { OwnerEnding, SignalOwnerConfig } from './support/signal-owner.js';

const OWNER = fileURLToPath(new URL('support/signal-owner.ts', import.meta.url));
// Several VMMs at once: the guard must take every one down, not only the first.
const VMM_COUNT = 3;

interface OwnerRun {
  /** The Firecracker processes the owner started, and the files Kindling made for them. */
  readonly vmmPids: readonly number[];
  readonly files: readonly string[];
  /** How the owner ended after the signal or the line on stdin, and what it printed after its first line. */
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly output: string;
  /** The Firecracker pids still alive the moment the owner's exit was seen. */
  readonly aliveAtExit: readonly number[];
  /** From the owner's exit seen to every Firecracker gone, and from the trigger to that exit. */
  readonly goneAfterExitMs: number;
  readonly exitAfterTriggerMs: number;
}

/** How an owner ends: by a signal the test sends, or on its own once told (see `OwnerEnding`). */
type Ending = NodeJS.Signals | Exclude<OwnerEnding, 'signal'>;

const isSignal = (ending: Ending): ending is NodeJS.Signals => ending.startsWith('SIG');

const runOwner = async (
  setup: FakeSetup,
  options: {
    readonly id: string;
    readonly jailed: boolean;
    readonly ending: Ending;
    readonly handler?: boolean;
    readonly count?: number;
    /** Runs once the owner was told to end, before its exit is awaited. */
    readonly whileEnding?: (
      owner: OwnerProcess<unknown>['child'],
      pids: readonly number[],
    ) => Promise<void>;
  },
): Promise<OwnerRun> => {
  const vmms = Array.from({ length: options.count ?? VMM_COUNT }, (_, index) => {
    const id = `${options.id}-${index}`;
    return {
      id,
      socketPath: path.join(setup.dir, 'run', `${id}.sock`),
      logPath: path.join(setup.dir, 'out', id, 'firecracker.log'),
      metricsPath: path.join(setup.dir, 'out', id, 'firecracker.metrics'),
    };
  });
  const config: SignalOwnerConfig = {
    jailed: options.jailed,
    installation: {
      firecrackerPath: setup.installation.firecrackerPath,
      jailerPath: setup.installation.jailerPath,
      snapshotEditorPath: setup.installation.snapshotEditorPath,
    },
    vmms,
    jailBase: path.join(setup.dir, 'jail'),
    stateDir: setup.stateDir,
    ending: isSignal(options.ending) ? 'signal' : options.ending,
    handler: options.handler ?? false,
  };
  const run = startOwnerProcess<{ pids: number[]; files: string[] }>(
    [OWNER, JSON.stringify(config)],
    { stdin: 'pipe' },
  );
  const { child: owner, closed, report: ready } = run;
  let started: { pids: number[]; files: string[] };
  try {
    started = await ready;
  } catch (error) {
    // A failed start leaves nothing running: what it started goes with the setup's reconcile().
    owner.kill('SIGKILL');
    throw error;
  }
  // Kindling made the files: they are there until the owner ends.
  expect(started.files.filter((file) => !existsSync(file))).toEqual([]);
  expect(await listLeftoverProcesses(started.pids)).toEqual(started.pids);
  // Looked at synchronously in the exit event: nothing may have run in between.
  const exited = new Promise<{ at: number; alive: number[] }>((resolve) => {
    owner.once('exit', () => {
      resolve({ at: performance.now(), alive: started.pids.filter((pid) => isAlive(pid)) });
    });
  });
  const triggeredAt = performance.now();
  if (isSignal(options.ending)) {
    owner.kill(options.ending);
  } else {
    owner.stdin?.end('go\n');
  }
  await options.whileEnding?.(owner, started.pids);
  const exit = await exited;
  // SIGKILL runs no hook: its Firecrackers live on, for reconcile().
  if (options.ending !== 'SIGKILL') {
    await Promise.all(started.pids.map((pid) => waitUntilGone(pid)));
  }
  const goneAt = performance.now();
  const [code, signal] = await closed;
  return {
    vmmPids: started.pids,
    files: started.files,
    code,
    signal,
    output: run.stdout().slice(run.stdout().indexOf('\n') + 1),
    aliveAtExit: exit.alive,
    goneAfterExitMs: goneAt - exit.at,
    exitAfterTriggerMs: exit.at - triggeredAt,
  };
};

// How each ending shows: the code and signal the owner ends with.
const ENDINGS: readonly {
  readonly ending: Ending;
  readonly end: [number | null, string | null];
}[] = [
  { ending: 'SIGTERM', end: [null, 'SIGTERM'] },
  { ending: 'SIGINT', end: [null, 'SIGINT'] },
  { ending: 'SIGHUP', end: [null, 'SIGHUP'] },
  { ending: 'exit', end: [0, null] },
  { ending: 'drain', end: [0, null] },
  { ending: 'throw', end: [1, null] },
  { ending: 'reject', end: [1, null] },
];

/** Resolves once the stream has carried a line `line` (from the moment of the call). */
const waitForLine = (stream: Readable, line: string): Promise<void> =>
  new Promise((resolve) => {
    let seen = '';
    const onData = (chunk: string): void => {
      seen += chunk;
      if (seen.split('\n').includes(line)) {
        stream.off('data', onData);
        resolve();
      }
    };
    stream.on('data', onData);
  });

// The delays measured, printed once at the end (the issue asks for "within a second").
const figures: string[] = [];
afterAll(() => {
  console.info(`owner exit → every Firecracker gone:\n${figures.join('\n')}`);
});

// An attached Firecracker is a child with pipes, which keeps Node's event loop alive (as any child
// process does): draining is tested apart for it.
const ATTACHED_ENDINGS = ENDINGS.filter((item) => item.ending !== 'drain');

const setups = [
  { name: 'unrestricted', jailed: false, endings: ATTACHED_ENDINGS },
  // The jailer needs root; as root the jail is laid out for real.
  ...(isRoot ? [{ name: 'jailed (daemonized)', jailed: true, endings: ENDINGS }] : []),
];

describe.each(setups)('a Node owner going down, $name', ({ name, jailed, endings }) => {
  it.each(endings)(
    `ends by $ending with ${VMM_COUNT} VMMs and leaves no process, socket, FIFO, log, jail or record`,
    async ({ ending, end }) => {
      await using setup = await FakeSetup.create();
      const run = await runOwner(setup, { id: `end-${ending}`, jailed, ending });
      // A signal kept its meaning (the program died by it), an error its exit code.
      expect([run.code, run.signal]).toEqual(end);
      // Every Firecracker was dead by the time the owner's exit could be seen.
      expect(run.aliveAtExit).toEqual([]);
      expect(run.goneAfterExitMs).toBeLessThan(TEST_WAIT_MS);
      figures.push(
        `${name}, ${ending}: ${run.goneAfterExitMs.toFixed(1)} ms after the exit (${run.exitAfterTriggerMs.toFixed(1)} ms from trigger to exit)`,
      );
      expect(await listLeftoverProcesses(run.vmmPids)).toEqual([]);
      expect(run.files.filter((file) => existsSync(file))).toEqual([]);
      // No socket, no log or metrics FIFO or folder made for them, no jail, no state record.
      expect(await setup.leftovers()).toEqual([]);
      expect(await reconcile({ stateDir: setup.stateDir })).toEqual({ reconciled: [], skipped: 0 });
    },
    TEST_WAIT_MS,
  );

  it(
    "lets a program's own SIGTERM handler keep control, and still removes everything at exit",
    async () => {
      await using setup = await FakeSetup.create();
      const run = await runOwner(setup, {
        id: 'handled',
        jailed,
        ending: 'SIGTERM',
        handler: true,
      });
      expect([run.code, run.signal, run.output]).toEqual([3, null, 'handled\n']);
      expect(run.aliveAtExit).toEqual([]);
      expect(await listLeftoverProcesses(run.vmmPids)).toEqual([]);
      expect(await setup.leftovers()).toEqual([]);
    },
    TEST_WAIT_MS,
  );

  it(
    'after SIGKILL, reconcile() removes the process and every file, the log included',
    async () => {
      await using setup = await FakeSetup.create();
      const run = await runOwner(setup, { id: 'killed', jailed, ending: 'SIGKILL', count: 1 });
      expect(run.signal).toBe('SIGKILL');
      // SIGKILL runs no hook: everything is still there.
      expect(run.files.every((file) => existsSync(file))).toBe(true);
      const report = await reconcile({ stateDir: setup.stateDir });
      expect(report.reconciled).toHaveLength(1);
      expect(report.reconciled[0]?.removedPaths).toEqual(expect.arrayContaining([...run.files]));
      expect(await listLeftoverProcesses(run.vmmPids)).toEqual([]);
      expect(await setup.leftovers()).toEqual([]);
    },
    TEST_WAIT_MS,
  );
});

describe('a Node owner of attached VMMs whose work is done', () => {
  it(
    'stays up while they run, then drains once they end, and their files go with it',
    async () => {
      await using setup = await FakeSetup.create();
      const run = await runOwner(setup, {
        id: 'drain',
        jailed: false,
        ending: 'drain',
        whileEnding: async (owner, pids) => {
          // It has nothing left to do but wait for its children, which still run.
          await waitForLine(owner.stdout, 'idle');
          expect([owner.exitCode, await listLeftoverProcesses(pids)]).toEqual([null, pids]);
          for (const pid of pids) {
            process.kill(pid, 'SIGKILL');
          }
        },
      });
      expect([run.code, run.signal]).toEqual([0, null]);
      expect(run.aliveAtExit).toEqual([]);
      expect(await setup.leftovers()).toEqual([]);
      expect(await reconcile({ stateDir: setup.stateDir })).toEqual({ reconciled: [], skipped: 0 });
    },
    TEST_WAIT_MS,
  );
});
