// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

// A Node program that owns several VmmProcesses, each with a log file and a metrics FIFO Kindling
// creates, built from the packages as a user installs them (run it with `node`, after the build).
// It prints the Firecracker pids and those files once every API socket is up, then waits for a
// signal, or for a line on stdin after which it ends as `ending` says, disposing nothing. With
// `handler`, it handles SIGTERM itself: it prints `handled` and exits with code 3 a moment later.

import { JailedExecutor, UnrestrictedExecutor } from '@kindling/executor';
import { VmmProcess } from '@kindling/process';
import { DirectSpawner } from '@kindling/spawner';
import {
  JailerArguments,
  ResourceSystem,
  VmmArguments,
  VmmInstallation,
  type VmmInstallationPaths,
} from '@kindling/vmm-core';

/** How the owner ends once it reads a line on stdin; `signal`: it waits to be signalled. */
export type OwnerEnding = 'signal' | 'exit' | 'drain' | 'throw' | 'reject';

/** One VMM of the owner's: its id, and where its socket, log and metrics FIFO go. */
export interface OwnedVmm {
  readonly id: string;
  /** The API socket of an unrestricted one (a jailed one's is in its jail). */
  readonly socketPath: string;
  /** Where Kindling creates the log file and the metrics FIFO (in folders it makes). */
  readonly logPath: string;
  readonly metricsPath: string;
}

/** What the test passes as the first argument, in JSON. */
export interface SignalOwnerConfig {
  readonly jailed: boolean;
  readonly installation: VmmInstallationPaths;
  readonly vmms: readonly OwnedVmm[];
  readonly jailBase: string;
  readonly stateDir: string;
  readonly ending: OwnerEnding;
  readonly handler: boolean;
}

const config = JSON.parse(String(process.argv[2])) as SignalOwnerConfig;
const createVmm = (owned: OwnedVmm): { vmm: VmmProcess; resourceSystem: ResourceSystem } => {
  const executor = config.jailed
    ? new JailedExecutor({
        vmmArguments: new VmmArguments({ id: owned.id }),
        jailerArguments: new JailerArguments({
          id: owned.id,
          execFile: config.installation.firecrackerPath,
          uid: process.getuid?.() ?? 0,
          gid: process.getgid?.() ?? 0,
          chrootBaseDir: config.jailBase,
          daemonize: true,
        }),
      })
    : new UnrestrictedExecutor({
        vmmArguments: new VmmArguments({ id: owned.id, apiSocket: owned.socketPath }),
      });
  const resourceSystem = new ResourceSystem();
  resourceSystem.createResource(owned.logPath, { kind: 'created', fileType: 'file' });
  resourceSystem.createResource(owned.metricsPath, { kind: 'created', fileType: 'fifo' });
  const vmm = new VmmProcess({
    executor,
    context: {
      installation: new VmmInstallation(config.installation),
      spawner: new DirectSpawner(),
      resourceSystem,
    },
    stateDir: config.stateDir,
    // The tests' bound (TEST_WAIT_MS), not the SDK's 5 s: the machine runs every package's tests.
    socketWaitTimeoutMs: 20_000,
    // A program with its own handler shuts the VMM down itself.
    killOnSignal: !config.handler,
  });
  return { vmm, resourceSystem };
};
if (config.handler) {
  process.on('SIGTERM', () => {
    process.stdout.write('handled\n');
    // The program stays in charge: it could still use the VMM here, then ends as it likes.
    setImmediate(() => process.exit(3));
  });
}
const owned = config.vmms.map((item) => createVmm(item));
await Promise.all(
  owned.map(async ({ vmm }) => {
    await vmm.prepare();
    await vmm.invoke();
  }),
);
const pids = owned.map(({ vmm }) => vmm.pid);
const files = owned.flatMap((item) =>
  item.resourceSystem.resources
    .map((resource) => resource.effectivePath)
    .concat(item.vmm.socketPath === undefined ? [] : [item.vmm.socketPath]),
);
process.stdout.write(`${JSON.stringify({ pids, files })}\n`);
const timer = setInterval(() => {}, 60_000);
// How it ends once told to, disposing nothing.
const endings: Record<Exclude<OwnerEnding, 'signal'>, () => void> = {
  exit: () => process.exit(0),
  throw: () => {
    throw new Error('the owner threw');
  },
  reject: () => {
    void Promise.reject(new Error('the owner rejected'));
  },
  drain: () => {
    // Nothing is left to do: Node ends when the event loop is empty.
    process.stdout.write('idle\n');
  },
};
const { ending } = config;
if (ending !== 'signal') {
  process.stdin.once('data', () => {
    process.stdin.destroy();
    clearInterval(timer);
    endings[ending]();
  });
}
