// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

// A Node program that owns one running (then paused) Vm, built from the packages as a user
// installs them (run it with `node`, after the build): a log, a metrics file and a vsock socket
// Kindling makes, a vsock listener, and a snapshot's two files. It prints the Firecracker pid and those files once the VM runs, then waits for
// a signal.

import { JailedExecutor, UnrestrictedExecutor } from '@kindling/executor';
import {
  JailerArguments,
  VmmArguments,
  VmmInstallation,
  type VmmInstallationPaths,
} from '@kindling/vmm-core';
import { Vm } from '@kindling/vm';

/** What the test passes as the first argument, in JSON. */
export interface VmOwnerConfig {
  readonly id: string;
  readonly jailed: boolean;
  readonly installation: VmmInstallationPaths;
  /** The test's folder: the socket goes in `run/`, the jail in `jail/`, the VM's files in `out/`. */
  readonly dir: string;
  readonly stateDir: string;
  readonly kernelPath: string;
  readonly rootfsPath: string;
  /** The vsock port to listen on, for connections the guest opens. */
  readonly port: number;
  /**
   * Handle SIGTERM itself (`killOnSignal: false`): resume the VM through its API, print
   * `handled <state>`, and exit with code 3, disposing nothing.
   */
  readonly handler?: boolean;
}

const config = JSON.parse(String(process.argv[2])) as VmOwnerConfig;
// As root the jail drops to nobody, so that owners change for real (and must change back).
const nobody = { uid: 65_534, gid: 65_534 };
const jailOwner =
  process.getuid?.() === 0
    ? nobody
    : { uid: process.getuid?.() ?? 0, gid: process.getgid?.() ?? 0 };
const executor = config.jailed
  ? new JailedExecutor({
      vmmArguments: new VmmArguments({}),
      jailerArguments: new JailerArguments({
        id: config.id,
        execFile: config.installation.firecrackerPath,
        ...jailOwner,
        chrootBaseDir: `${config.dir}/jail`,
        daemonize: true,
        newPidNs: true,
      }),
    })
  : new UnrestrictedExecutor({
      vmmArguments: new VmmArguments({
        id: config.id,
        apiSocket: `${config.dir}/run/${config.id}.sock`,
      }),
    });
const out = `${config.dir}/out/${config.id}`;
const vm = await Vm.prepare({
  executor,
  ownership:
    config.jailed && process.getuid?.() === 0
      ? { kind: 'downgraded', ...jailOwner }
      : { kind: 'shared' },
  installation: new VmmInstallation(config.installation),
  configuration: {
    bootSource: {
      kernel_image_path: config.kernelPath,
      boot_args: 'console=ttyS0 reboot=k panic=1',
    },
    drives: [
      {
        drive_id: 'rootfs',
        is_root_device: true,
        is_read_only: true,
        path_on_host: config.rootfsPath,
      },
    ],
    machineConfig: { vcpu_count: 1, mem_size_mib: 128 },
    logger: { log_path: `${out}/logs/fc.log`, level: 'Info' },
    metrics: { metrics_path: `${out}/fc.metrics` },
    vsock: { guest_cid: 3, uds_path: `${out}/s/v.sock` },
  },
  stateDir: config.stateDir,
  killOnSignal: config.handler !== true,
  // The tests' bound (TEST_WAIT_MS), not the SDK's 5 s: the machine runs every package's tests.
  socketWaitTimeoutMs: 20_000,
});
await vm.start();
const listener = await vm.listenVsock(config.port);
// Snapshot files are resources made after the start: the state record must learn of them.
const seen = (name: string): string => (config.jailed ? `/${name}` : `${out}/snap/${name}`);
await vm.pause();
await vm.createSnapshot({ snapshotPath: seen('vm.state'), memPath: seen('vm.mem') });
const files = [
  `${out}/logs/fc.log`,
  `${out}/fc.metrics`,
  `${out}/s/v.sock`,
  seen('vm.state'),
  seen('vm.mem'),
].map((file) => vm.resolveEffectivePath(file));
if (config.handler === true) {
  process.on('SIGTERM', () => {
    // Firecracker still runs: the handler can still shut it down gracefully.
    void (async () => {
      await vm.resume();
      process.stdout.write(`handled ${vm.state}\n`, () => process.exit(3));
    })();
  });
}
process.stdout.write(`${JSON.stringify({ pid: vm.pid, files: [...files, listener.address()] })}\n`);
setInterval(() => {}, 60_000);
