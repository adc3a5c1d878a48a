// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { existsSync } from 'node:fs';
import { lstat, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { reconcile } from '@kindling/process';
import {
  listLeftoverFiles,
  listLeftoverProcesses,
  startOwnerProcess,
  TEST_WAIT_MS,
} from '@kindling/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createVmHarness, isRoot, SETUPS, type VmHarness } from './support/vm-harness.js';
import type { VmOwnerConfig } from './support/vm-owner.js';

const OWNER = fileURLToPath(new URL('support/vm-owner.ts', import.meta.url));
// What the harness holds besides what a VM leaves: the installation, the user's images, and the
// folders every test shares (each owner records into a state folder of its own).
const SET_UP = /^(bin|state|run|jail|cgroup|images)$|^(bin|images)\/|^state\/[^/]+$/u;

interface OwnerRun {
  readonly vmmPid: number;
  /** The log, metrics, vsock and snapshot files Kindling made, and the vsock listener's socket. */
  readonly files: readonly string[];
  readonly signal: NodeJS.Signals | null;
  readonly code: number | null;
  /** What it printed after its first line. */
  readonly output: string;
}

let harness: VmHarness;
const stateDirs: string[] = [];
beforeAll(async () => {
  harness = await createVmHarness();
});
afterAll(async () => {
  // What a failed test left.
  for (const stateDir of stateDirs) {
    await reconcile({ stateDir });
  }
  await harness.dispose();
});

const stateDirOf = (id: string): string => path.join(harness.dir, 'state', id);

const runOwner = async (
  id: string,
  jailed: boolean,
  signal: NodeJS.Signals,
  handler = false,
): Promise<OwnerRun> => {
  const config: VmOwnerConfig = {
    id,
    jailed,
    installation: {
      firecrackerPath: harness.installation.firecrackerPath,
      jailerPath: harness.installation.jailerPath,
      snapshotEditorPath: harness.installation.snapshotEditorPath,
    },
    dir: harness.dir,
    stateDir: stateDirOf(id),
    kernelPath: harness.kernelPath,
    rootfsPath: harness.rootfsPath,
    port: 7000,
    handler,
  };
  stateDirs.push(config.stateDir);
  const run = startOwnerProcess<{ pid: number; files: string[] }>([OWNER, JSON.stringify(config)]);
  const { child: owner, closed } = run;
  const started = await run.report;
  expect(started.files.every((file) => existsSync(file))).toBe(true);
  owner.kill(signal);
  const [code, ended] = await closed;
  return {
    vmmPid: started.pid,
    files: started.files,
    signal: ended,
    code,
    output: run.stdout().slice(run.stdout().indexOf('\n') + 1),
  };
};

// The user's images are left as they were: in place, with their owner (a jail's hard link that
// gave the kernel to its user gives it back).
const expectImagesUntouched = async (): Promise<void> => {
  for (const image of [harness.kernelPath, harness.rootfsPath]) {
    const stats = await lstat(image);
    expect([stats.uid, stats.nlink]).toEqual([process.getuid?.() ?? 0, 1]);
  }
  expect(await readFile(harness.rootfsPath, 'utf8')).toBe('rootfs');
};

describe.each(SETUPS.filter((setup) => isRoot || !setup.jailed))(
  'a Node program owning a running Vm, $name',
  (setup) => {
    it.each(['SIGTERM', 'SIGINT'] as const)(
      'dies by %s, leaving no process, socket, log, metrics, listener, snapshot, jail or record',
      async (signal) => {
        const run = await runOwner(`${setup.tag}-${signal}`, setup.jailed, signal);
        expect(run.signal).toBe(signal);
        expect(await listLeftoverProcesses([run.vmmPid])).toEqual([]);
        expect(run.files.filter((file) => existsSync(file))).toEqual([]);
        expect(await listLeftoverFiles(harness.dir, SET_UP)).toEqual([]);
        await expectImagesUntouched();
      },
      TEST_WAIT_MS,
    );

    it(
      "with killOnSignal: false, a program's SIGTERM handler still reaches the VM, and all goes at its exit",
      async () => {
        const run = await runOwner(`${setup.tag}-handled`, setup.jailed, 'SIGTERM', true);
        // The handler resumed the (paused) VM through Firecracker's API, then exited.
        expect([run.code, run.signal, run.output]).toEqual([3, null, 'handled running\n']);
        expect(await listLeftoverProcesses([run.vmmPid])).toEqual([]);
        expect(run.files.filter((file) => existsSync(file))).toEqual([]);
        expect(await listLeftoverFiles(harness.dir, SET_UP)).toEqual([]);
      },
      TEST_WAIT_MS,
    );

    it(
      'SIGKILLed, leaves it all to reconcile(), which removes it all (the log too)',
      async () => {
        const id = `${setup.tag}-kill`;
        const run = await runOwner(id, setup.jailed, 'SIGKILL');
        expect(run.signal).toBe('SIGKILL');
        expect(run.files.every((file) => existsSync(file))).toBe(true);
        const report = await reconcile({ stateDir: stateDirOf(id) });
        expect(report.reconciled.map((item) => item.pid)).toEqual([run.vmmPid]);
        expect(await listLeftoverProcesses([run.vmmPid])).toEqual([]);
        expect(run.files.filter((file) => existsSync(file))).toEqual([]);
        expect(await listLeftoverFiles(harness.dir, SET_UP)).toEqual([]);
        await expectImagesUntouched();
      },
      TEST_WAIT_MS,
    );
  },
);
