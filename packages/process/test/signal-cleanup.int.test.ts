// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { isRoot, listLeftoverProcesses, TEST_WAIT_MS } from '@kindling/test-utils';
import { describe, expect, it } from 'vitest';
import { reconcile } from '../src/index.js';
import { FakeSetup } from './support/fake-setup.js';
import type { SignalOwnerConfig } from './support/signal-owner.js';

const OWNER = fileURLToPath(new URL('support/signal-owner.ts', import.meta.url));

interface OwnerRun {
  /** The Firecracker process the owner started, and the files Kindling made for it. */
  readonly vmmPid: number;
  readonly files: readonly string[];
  /** How the owner ended after the signal, and what it printed after its first line. */
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly output: string;
}

const runOwner = async (
  setup: FakeSetup,
  options: {
    readonly id: string;
    readonly jailed: boolean;
    readonly signal: NodeJS.Signals;
    readonly handler?: boolean;
  },
): Promise<OwnerRun> => {
  const config: SignalOwnerConfig = {
    id: options.id,
    jailed: options.jailed,
    installation: {
      firecrackerPath: setup.installation.firecrackerPath,
      jailerPath: setup.installation.jailerPath,
      snapshotEditorPath: setup.installation.snapshotEditorPath,
    },
    socketPath: path.join(setup.dir, 'run', `${options.id}.sock`),
    jailBase: path.join(setup.dir, 'jail'),
    cgroups: setup.cgroups,
    cgroupRoot: setup.cgroupRoot,
    stateDir: setup.stateDir,
    logPath: path.join(setup.dir, 'out', options.id, 'firecracker.log'),
    metricsPath: path.join(setup.dir, 'out', options.id, 'firecracker.metrics'),
    handler: options.handler ?? false,
  };
  const owner = spawn(process.execPath, [OWNER, JSON.stringify(config)], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  owner.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  const closed = once(owner, 'close') as Promise<[number | null, NodeJS.Signals | null]>;
  const ready = new Promise<{ pid: number; files: string[] }>((resolve, reject) => {
    owner.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      const first = stdout.includes('\n');
      stdout += chunk;
      if (!first && stdout.includes('\n')) {
        resolve(
          JSON.parse(stdout.slice(0, stdout.indexOf('\n'))) as { pid: number; files: string[] },
        );
      }
    });
    owner.once('exit', () => reject(new Error(`the owner exited early:\n${stderr}`)));
  });
  const started = await ready;
  // Kindling made the files: they are there until the signal.
  expect(started.files.every((file) => existsSync(file))).toBe(true);
  owner.kill(options.signal);
  const [code, signal] = await closed;
  return {
    vmmPid: started.pid,
    files: started.files,
    code,
    signal,
    output: stdout.slice(stdout.indexOf('\n') + 1),
  };
};

const setups = [
  { name: 'unrestricted', jailed: false },
  // The jailer needs root; as root the jail is laid out for real.
  ...(isRoot ? [{ name: 'jailed (daemonized)', jailed: true }] : []),
];

describe.each(setups)('a Node owner going down, $name', ({ jailed }) => {
  it.each(['SIGTERM', 'SIGINT'] as const)(
    'dies by %s and leaves no process, socket, file, jail, cgroup or record',
    async (signal) => {
      await using setup = await FakeSetup.create();
      const run = await runOwner(setup, { id: `sig-${signal}`, jailed, signal });
      // The signal kept its meaning: the program died by it.
      expect([run.code, run.signal]).toEqual([null, signal]);
      expect(await listLeftoverProcesses([run.vmmPid])).toEqual([]);
      expect(run.files.some((file) => existsSync(file))).toBe(false);
      // No socket, no log or metrics file or folder made for them, no jail, no state record.
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
        signal: 'SIGTERM',
        handler: true,
      });
      expect([run.code, run.signal, run.output]).toEqual([3, null, 'handled\n']);
      expect(await listLeftoverProcesses([run.vmmPid])).toEqual([]);
      expect(await setup.leftovers()).toEqual([]);
    },
    TEST_WAIT_MS,
  );

  it(
    'after SIGKILL, reconcile() removes the process and every file, the log included',
    async () => {
      await using setup = await FakeSetup.create();
      const run = await runOwner(setup, { id: 'killed', jailed, signal: 'SIGKILL' });
      expect(run.signal).toBe('SIGKILL');
      // SIGKILL runs no hook: everything is still there.
      expect(run.files.every((file) => existsSync(file))).toBe(true);
      const report = await reconcile({ stateDir: setup.stateDir });
      expect(report.reconciled).toHaveLength(1);
      expect(report.reconciled[0]?.removedPaths).toEqual(expect.arrayContaining([...run.files]));
      expect(await listLeftoverProcesses([run.vmmPid])).toEqual([]);
      expect(await setup.leftovers()).toEqual([]);
    },
    TEST_WAIT_MS,
  );
});
