// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

// A Node program that owns one VmmProcess with a log and a metrics file Kindling creates, built
// from the packages as a user installs them (run it with `node`, after the build). It prints the
// Firecracker pid once the API socket is up, then waits for a signal. With `handler`, it handles
// SIGTERM itself: it prints `handled` and exits with code 3 a moment later, disposing nothing.

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

/** What the test passes as the first argument, in JSON. */
export interface SignalOwnerConfig {
  readonly id: string;
  readonly jailed: boolean;
  readonly installation: VmmInstallationPaths;
  readonly socketPath: string;
  readonly jailBase: string;
  /** The jailed VMM's `cgroupVersion` and `cgroups`, and the fake jailer's cgroup root. */
  readonly cgroups: { readonly cgroupVersion: 1 | 2; readonly cgroups: Record<string, string> };
  readonly cgroupRoot?: string | undefined;
  readonly stateDir: string;
  /** Where Kindling creates the log and metrics files (in folders it makes). */
  readonly logPath: string;
  readonly metricsPath: string;
  readonly handler: boolean;
}

const config = JSON.parse(String(process.argv[2])) as SignalOwnerConfig;
const executor = config.jailed
  ? new JailedExecutor({
      vmmArguments: new VmmArguments({ id: config.id }),
      jailerArguments: new JailerArguments({
        id: config.id,
        execFile: config.installation.firecrackerPath,
        uid: process.getuid?.() ?? 0,
        gid: process.getgid?.() ?? 0,
        chrootBaseDir: config.jailBase,
        daemonize: true,
        ...config.cgroups,
      }),
      ...(config.cgroupRoot === undefined ? {} : { cgroupRoot: config.cgroupRoot }),
    })
  : new UnrestrictedExecutor({
      vmmArguments: new VmmArguments({ id: config.id, apiSocket: config.socketPath }),
    });
const resourceSystem = new ResourceSystem();
resourceSystem.createResource(config.logPath, { kind: 'created', fileType: 'file' });
resourceSystem.createResource(config.metricsPath, { kind: 'created', fileType: 'file' });
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
if (config.handler) {
  process.on('SIGTERM', () => {
    process.stdout.write('handled\n');
    // The program stays in charge: it could still use the VMM here, then ends as it likes.
    setImmediate(() => process.exit(3));
  });
}
await vmm.prepare();
await vmm.invoke();
const files = resourceSystem.resources.map((resource) => resource.effectivePath);
process.stdout.write(`${JSON.stringify({ pid: vmm.pid, files })}\n`);
setInterval(() => {}, 60_000);
