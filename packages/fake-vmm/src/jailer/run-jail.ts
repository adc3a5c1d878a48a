// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import type { Writable } from 'node:stream';
import type { ProcessSpawner } from '@kindling/spawner';
import { applyCgroups } from './cgroups.js';
import type { JailerConfig } from './jailer-config.js';
import * as layout from './jail-layout.js';
import { clearProcessEnvironment, enterJail, isRoot } from './privileges.js';
import { installResourceLimits } from './resource-limits.js';
import { findTool } from './run-tool.js';
import { startDetached } from './start-detached.js';

/** Runs the fake Firecracker in this process, as the real jailer's exec(2) would. */
export type FirecrackerRunner = (request: {
  readonly argv: readonly string[];
  readonly chrootDir: string;
  readonly env: Readonly<Record<string, string>>;
}) => Promise<number>;

/** What running a jail needs besides its configuration. */
export interface JailRuntime {
  /** Runs `mknod(1)` and `prlimit(1)`. */
  readonly spawner: ProcessSpawner;
  /** The PATH the jailer was started with, to find those tools. */
  readonly toolPath: string | undefined;
  readonly stdout: Writable;
  readonly runFirecracker: FirecrackerRunner;
  /** The fake Firecracker executable started detached for `--daemonize` / `--new-pid-ns`. */
  readonly firecrackerBin: string;
  /** The environment kept for Firecracker (`KINDLING_FAKE_*`). */
  readonly env: Readonly<Record<string, string>>;
  /** The monotonic and CPU clocks when the jailer started, in µs. */
  readonly startTimeUs: bigint;
  readonly startCpuUs: bigint;
}

/** This process's CPU time (user + system) in µs, as `ClockType::ProcessCpu`. */
export const cpuTimeUs = (): bigint => {
  const usage = process.cpuUsage();
  return BigInt(usage.user + usage.system);
};

// exec's argv: upstream passes `--start-time-cpu-us 0` after resetting it, and the jailer's CPU time.
const firecrackerArgv = (config: JailerConfig, runtime: JailRuntime): string[] => [
  '--id',
  config.id,
  '--start-time-us',
  String(runtime.startTimeUs),
  '--start-time-cpu-us',
  '0',
  '--parent-cpu-time-us',
  String(cpuTimeUs() - runtime.startCpuUs),
  ...config.extraArgs,
];

/**
 * Lays out the jail and starts Firecracker in upstream's order (`main`, then `Env::run`): create
 * the jail folder, copy the binary,
 * check the netns, set rlimits, write cgroups, create folders and device nodes, then exec in place
 * (pid file = this pid, privileges dropped) or start a detached child.
 */
export const runJail = async (config: JailerConfig, runtime: JailRuntime): Promise<number> => {
  await layout.createChrootDir(config);
  await layout.copyExecFile(config);
  if (config.netns !== undefined) {
    await layout.checkNetns(config.netns);
  }
  const prlimit = findTool('prlimit', runtime.toolPath);
  await installResourceLimits(config.resourceLimits, runtime.spawner, prlimit, process.pid);
  if (config.cgroups !== undefined) {
    await applyCgroups(config.cgroups, process.pid);
  }
  if (config.daemonize) {
    await layout.checkDevNull();
  }
  await layout.setupJailFolders(config);
  await layout.createDeviceNodes(config, {
    spawner: runtime.spawner,
    mknod: findTool('mknod', runtime.toolPath),
    canMknod: isRoot(),
    stdout: runtime.stdout,
  });
  const argv = firecrackerArgv(config, runtime);
  if (config.daemonize || config.newPidNs) {
    return startDetached(config, runtime.firecrackerBin, argv, runtime.env);
  }
  const pidFile = await layout.createPidFile(config);
  await pidFile.write(process.pid);
  clearProcessEnvironment();
  enterJail(config.chrootDir, config.uid, config.gid);
  return runtime.runFirecracker({ argv, chrootDir: config.chrootDir, env: runtime.env });
};
