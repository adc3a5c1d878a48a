// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

// A Node program that owns several running Vms at once, jailed and unrestricted, each with a log
// file and a metrics FIFO Kindling makes, some with a network of their own, built from the
// packages as a user installs them (run it with `node`, after the build). It prints what it
// started once every VM runs, then waits for a signal, disposing nothing. The CLI's tests run it
// too, recording into `kindling`'s state folder.

import { JailedExecutor, UnrestrictedExecutor, type VmmExecutor } from '@kindling/executor';
import { createVmNetwork, type NetworkPlan, type VmNetwork } from '@kindling/ext-network';
import { Vm, type ApiVmConfiguration } from '@kindling/vm';
import {
  JailerArguments,
  VmmArguments,
  VmmInstallation,
  type OwnershipModel,
  type VmmInstallationPaths,
} from '@kindling/vmm-core';

/** One VM of the owner's; `network` gives it one (in a namespace of its own, with egress). */
export interface FleetVm {
  readonly id: string;
  readonly jailed: boolean;
  readonly network?: { readonly namespace: boolean; readonly egress: boolean };
}

/** What the test passes as the first argument, in JSON. */
export interface FleetOwnerConfig {
  readonly installation: VmmInstallationPaths;
  /** The test's folder: sockets go in `run/`, jails in `jail/`, each VM's files in `out/<id>/`. */
  readonly dir: string;
  readonly stateDir: string;
  readonly kernelPath: string;
  readonly vms: readonly FleetVm[];
}

/** What the owner prints once every VM runs. */
export interface FleetOwnerReport {
  readonly pids: readonly number[];
  /** Every VM's API socket, log file and metrics FIFO, as host paths. */
  readonly files: readonly string[];
  readonly networks: readonly NetworkPlan[];
}

const config = JSON.parse(String(process.argv[2])) as FleetOwnerConfig;
// As root a jail drops to nobody, so that owners change for real (and must change back).
const jailUser =
  process.getuid?.() === 0
    ? { uid: 65_534, gid: 65_534 }
    : { uid: process.getuid?.() ?? 0, gid: process.getgid?.() ?? 0 };

const executorFor = (
  item: FleetVm,
  network: VmNetwork | undefined,
): { executor: VmmExecutor; ownership: OwnershipModel } =>
  item.jailed
    ? {
        executor: new JailedExecutor({
          vmmArguments: new VmmArguments({}),
          jailerArguments: new JailerArguments({
            id: item.id,
            execFile: config.installation.firecrackerPath,
            ...jailUser,
            chrootBaseDir: `${config.dir}/jail`,
            daemonize: true,
            newPidNs: true,
            ...(network?.netnsPath === undefined ? {} : { netns: network.netnsPath }),
          }),
        }),
        ownership:
          process.getuid?.() === 0 ? { kind: 'downgraded', ...jailUser } : { kind: 'shared' },
      }
    : {
        executor: new UnrestrictedExecutor({
          vmmArguments: new VmmArguments({
            id: item.id,
            apiSocket: `${config.dir}/run/${item.id}.sock`,
          }),
          commandModifiers: network?.commandModifiers ?? [],
        }),
        ownership: { kind: 'shared' },
      };

const startVm = async (item: FleetVm): Promise<{ vm: Vm; network: VmNetwork | undefined }> => {
  const network =
    item.network === undefined
      ? undefined
      : await createVmNetwork({
          vmId: item.id,
          stateDir: config.stateDir,
          ...item.network,
          ...(item.jailed ? { tapOwner: jailUser } : {}),
        });
  const out = `${config.dir}/out/${item.id}`;
  const configuration: ApiVmConfiguration = {
    bootSource: {
      kernel_image_path: config.kernelPath,
      boot_args: 'console=ttyS0 reboot=k panic=1',
    },
    machineConfig: { vcpu_count: 1, mem_size_mib: 128 },
    logger: { log_path: `${out}/fc.log`, level: 'Info' },
    metrics: { metrics_path: `${out}/fc.metrics` },
    fifos: { metrics: true },
  };
  const vm = await Vm.prepare({
    ...executorFor(item, network),
    installation: new VmmInstallation(config.installation),
    configuration: network === undefined ? configuration : network.apply(configuration),
    stateDir: config.stateDir,
    // The tests' bound (TEST_WAIT_MS), not the SDK's 5 s: the machine runs every package's tests.
    socketWaitTimeoutMs: 20_000,
  });
  await vm.start();
  return { vm, network };
};

const started = await Promise.all(config.vms.map((item) => startVm(item)));
const report: FleetOwnerReport = {
  pids: started.map(({ vm }) => vm.pid ?? -1),
  files: started.flatMap(({ vm }, index) => {
    const out = `${config.dir}/out/${config.vms[index]?.id ?? ''}`;
    return [
      vm.socketPath ?? '',
      vm.resolveEffectivePath(`${out}/fc.log`),
      vm.resolveEffectivePath(`${out}/fc.metrics`),
    ];
  }),
  networks: started.flatMap(({ network }) => (network === undefined ? [] : [network.plan])),
};
process.stdout.write(`${JSON.stringify(report)}\n`);
setInterval(() => {}, 60_000);
