// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { isAlive, startOwnerProcess } from '@kindling/test-utils';
import { describe, expect, it } from 'vitest';
import { reconcile } from '../src/index.js';
import { FakeSetup } from './support/fake-setup.js';

const PACKAGE_DIR = fileURLToPath(new URL('..', import.meta.url));

// A Node program that owns one VmmProcess, built from the packages as a user installs them. It
// prints the Firecracker pid once the API socket is up, then waits to be killed.
const OWNER_SCRIPT = `
import { DirectSpawner } from '@kindling/spawner';
import { JailedExecutor, UnrestrictedExecutor } from '@kindling/executor';
import { JailerArguments, ResourceSystem, VmmArguments, VmmInstallation } from '@kindling/vmm-core';
import { VmmProcess } from '@kindling/process';
const config = JSON.parse(process.argv[1]);
const executor = config.jailed
  ? new JailedExecutor({
      vmmArguments: new VmmArguments({ id: config.id }),
      jailerArguments: new JailerArguments({
        id: config.id,
        execFile: config.installation.firecrackerPath,
        uid: process.getuid(),
        gid: process.getgid(),
        chrootBaseDir: config.jailBase,
        daemonize: true,
      }),
    })
  : new UnrestrictedExecutor({
      vmmArguments: new VmmArguments({ id: config.id, apiSocket: config.socketPath }),
    });
const vmm = new VmmProcess({
  executor,
  context: {
    installation: new VmmInstallation(config.installation),
    spawner: new DirectSpawner(),
    resourceSystem: new ResourceSystem(),
  },
  stateDir: config.stateDir,
});
await vmm.prepare();
await vmm.invoke();
process.stdout.write(JSON.stringify({ pid: vmm.pid }) + '\\n');
setInterval(() => undefined, 60_000);
`;

interface OwnerRun {
  /** The Firecracker process the owner started. */
  readonly vmmPid: number;
  /** How the owner ended after `signal`. */
  readonly ownerSignal: NodeJS.Signals | null;
}

const runOwner = async (
  setup: FakeSetup,
  options: { readonly id: string; readonly jailed: boolean; readonly signal: NodeJS.Signals },
): Promise<OwnerRun> => {
  const config = {
    id: options.id,
    jailed: options.jailed,
    installation: {
      firecrackerPath: setup.installation.firecrackerPath,
      jailerPath: setup.installation.jailerPath,
      snapshotEditorPath: setup.installation.snapshotEditorPath,
    },
    socketPath: path.join(setup.dir, 'run', `${options.id}.sock`),
    jailBase: path.join(setup.dir, 'jail'),
    stateDir: setup.stateDir,
  };
  // Resolved from this package's folder, the bare names find the built packages.
  const {
    child: owner,
    closed,
    report,
  } = startOwnerProcess<{ pid: number }>(
    ['--input-type=module', '-e', OWNER_SCRIPT, JSON.stringify(config)],
    { cwd: PACKAGE_DIR },
  );
  const vmmPid = (await report).pid;
  owner.kill(options.signal);
  const [, ownerSignal] = await closed;
  return { vmmPid, ownerSignal };
};

describe('no orphans', () => {
  it('takes an attached Firecracker and its files down with its owner on SIGTERM', async () => {
    await using setup = await FakeSetup.create();
    const run = await runOwner(setup, { id: 'term-1', jailed: false, signal: 'SIGTERM' });
    expect(run.ownerSignal).toBe('SIGTERM');
    expect(isAlive(run.vmmPid)).toBe(false);
    // Going down, the owner removed the socket and the record too: reconcile() finds nothing.
    expect(await setup.leftovers()).toEqual([]);
    expect(await reconcile({ stateDir: setup.stateDir })).toEqual({ reconciled: [], skipped: 0 });
  });

  it('reconciles a detached (daemonized, jailed) Firecracker whose owner was SIGKILLed', async () => {
    await using setup = await FakeSetup.create();
    const run = await runOwner(setup, { id: 'kill-1', jailed: true, signal: 'SIGKILL' });
    expect(run.ownerSignal).toBe('SIGKILL');
    // SIGKILL runs no hook: the daemonized Firecracker lives on, with its jail.
    expect(isAlive(run.vmmPid)).toBe(true);
    const jailPath = path.join(setup.dir, 'jail', 'firecracker', 'kill-1');
    expect(existsSync(jailPath)).toBe(true);
    const report = await reconcile({ stateDir: setup.stateDir });
    expect(report.reconciled).toEqual([
      {
        pid: run.vmmPid,
        kind: 'detached',
        killed: true,
        found: 'running',
        // The folders above the jail go too: Kindling made them, and they are empty now.
        removedPaths: [
          path.join(jailPath, 'root', 'run', 'firecracker.socket'),
          jailPath,
          path.dirname(jailPath),
          path.join(setup.dir, 'jail'),
        ],
      },
    ]);
    expect(isAlive(run.vmmPid)).toBe(false);
    expect(existsSync(jailPath)).toBe(false);
    expect(await readdir(setup.stateDir)).toEqual([]);
    expect(await setup.leftovers()).toEqual([]);
  });

  it('reconciles an attached Firecracker whose owner was SIGKILLed', async () => {
    await using setup = await FakeSetup.create();
    const run = await runOwner(setup, { id: 'kill-2', jailed: false, signal: 'SIGKILL' });
    expect(isAlive(run.vmmPid)).toBe(true);
    const report = await reconcile({ stateDir: setup.stateDir });
    expect(report.reconciled.map((item) => [item.pid, item.killed])).toEqual([[run.vmmPid, true]]);
    expect(isAlive(run.vmmPid)).toBe(false);
    expect(await setup.leftovers()).toEqual([]);
  });
});
