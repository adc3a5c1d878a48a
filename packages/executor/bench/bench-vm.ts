// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

// The VMs `executor.bench.ts` runs: each with its executor, and what the same run by hand needs.

import { chmod, chown, mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { createTestInstallation } from '@kindling/fake-vmm';
import { DirectSpawner } from '@kindling/spawner';
import {
  JailerArguments,
  ResourceSystem,
  VmmArguments,
  VmmInstallation,
  parseVmmId,
  type OwnershipModel,
} from '@kindling/vmm-core';
import { JailedExecutor, UnrestrictedExecutor, type VmmExecutor } from '@kindling/executor';

// As root the jail drops to nobody, as the jailer is meant to be used.
const NOBODY = { uid: 65_534, gid: 65_534 };
const spawner = new DirectSpawner();

/** The fake Firecracker and jailer in `<dir>/bin`, or the real ones that KINDLING_* name. */
export const createBenchInstallation = async (dir: string): Promise<VmmInstallation> =>
  new VmmInstallation(await createTestInstallation(path.join(dir, 'bin')));

/** One VM: its executor and the context its hooks take, made per VM as a VmmProcess makes them. */
export interface BenchVm {
  readonly executor: VmmExecutor;
  readonly context: {
    installation: VmmInstallation;
    spawner: DirectSpawner;
    resourceSystem: ResourceSystem;
  };
  /** The command line the executor runs, and where its socket is, for the run by hand. */
  readonly command: { readonly binary: string; readonly args: readonly string[] };
  readonly socketPath: string;
  /** What cleanup removes, for the run by hand, and how to lay it out again beforehand. */
  readonly leftovers: readonly string[];
  layOut(): Promise<void>;
}

/** A VM run directly, with its API socket and a log file in `<dir>/run`. */
export const createUnrestrictedVm = (installation: VmmInstallation, dir: string): BenchVm => {
  const run = path.join(dir, 'run');
  const socketPath = path.join(run, 'fc.sock');
  const logPath = path.join(run, 'fc.log');
  const resourceSystem = new ResourceSystem({ ownership: { kind: 'shared' }, spawner });
  const log = resourceSystem.createResource(logPath, { kind: 'created', fileType: 'file' });
  const executor = new UnrestrictedExecutor({
    vmmArguments: new VmmArguments({
      apiSocket: socketPath,
      id: parseVmmId('bench-unrestricted'),
      logPath: log,
    }),
  });
  return {
    executor,
    context: { installation, spawner, resourceSystem },
    // The log resource has its path once prepared; by hand it is the same path.
    command: {
      binary: installation.firecrackerPath,
      args: ['--api-sock', socketPath, '--id', 'bench-unrestricted', '--log-path', logPath],
    },
    socketPath,
    leftovers: [socketPath, logPath],
    layOut: async () => {
      await mkdir(run, { recursive: true });
      await writeFile(logPath, '', { flag: 'wx' });
    },
  };
};

/** A VM in a jail under `<dir>/jails`, run as nobody, with a log file in the jail. */
export const createJailedVm = (installation: VmmInstallation, dir: string): BenchVm => {
  const ownership: OwnershipModel = { kind: 'downgraded', ...NOBODY };
  const resourceSystem = new ResourceSystem({ ownership, spawner });
  const log = resourceSystem.createResource('/fc.log', { kind: 'created', fileType: 'file' });
  const jailerArguments = new JailerArguments({
    id: parseVmmId('bench-jailed'),
    execFile: installation.firecrackerPath,
    ...NOBODY,
    chrootBaseDir: path.join(dir, 'jails'),
  });
  const executor = new JailedExecutor({
    vmmArguments: new VmmArguments({ logPath: log }),
    jailerArguments,
  });
  const socketPath = String(executor.getSocketPath());
  const { jailPath, rootPath } = executor;
  return {
    executor,
    context: { installation, spawner, resourceSystem },
    command: {
      binary: installation.jailerPath,
      args: jailerArguments.toArgs(new VmmArguments({ logPath: '/fc.log' })),
    },
    socketPath,
    leftovers: [jailPath],
    // What the executor's prepare lays out: the chroot, the socket's folder and the log, nobody's.
    layOut: async () => {
      await mkdir(path.dirname(socketPath), { recursive: true, mode: 0o700 });
      const logFile = path.join(rootPath, 'fc.log');
      await writeFile(logFile, '', { flag: 'wx' });
      for (const target of [path.dirname(socketPath), logFile, rootPath]) {
        await chmod(target, target === logFile ? 0o600 : 0o700);
        await chown(target, NOBODY.uid, NOBODY.gid);
      }
    },
  };
};
