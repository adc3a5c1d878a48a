// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

// Boot a microVM under the jailer: chrooted, as an unprivileged user, in its own pid namespace.
// The jailer needs root.
//   sudo --preserve-env node examples/jailed.ts
import { existsSync } from 'node:fs';
import path from 'node:path';
import process from 'node:process';
import { JailedExecutor } from '@kindling/executor';
import { Vm } from '@kindling/vm';
import { JailerArguments, VmmArguments } from '@kindling/vmm-core';
import { createScratchFolder, readEnvironment } from './environment.ts';

if (process.getuid?.() !== 0) {
  throw new Error('the jailer needs root: run this example as root');
}
const { installation, bootSource, socketWaitTimeoutMs } = readEnvironment();
await using scratch = await createScratchFolder('jailed');

// The jail's user: `nobody`. Kindling hard-links (or copies) the kernel into the jail and gives
// the VM's files to that user; Firecracker is told the paths it sees inside.
const jailUser = { uid: 65_534, gid: 65_534 };
const chrootBaseDir = path.join(scratch.path, 'jail');
await using vm = await Vm.prepare({
  executor: new JailedExecutor({
    vmmArguments: new VmmArguments({}),
    jailerArguments: new JailerArguments({
      id: 'jailed-example',
      execFile: installation.firecrackerPath,
      ...jailUser,
      chrootBaseDir,
      daemonize: true,
      newPidNs: true,
    }),
  }),
  ownership: { kind: 'downgraded', ...jailUser },
  installation,
  socketWaitTimeoutMs,
  configuration: {
    bootSource,
    machineConfig: { vcpu_count: 1, mem_size_mib: 128 },
  },
});
await vm.start();

const info = await vm.getInfo();
console.log(`${vm.state}: ${info.id} says ${info.state}`);
// The jail, as the jailer makes it: <chroot base>/<exec file name>/<id>/root.
const jail = path.join(chrootBaseDir, path.basename(installation.firecrackerPath), info.id, 'root');
console.log(
  `jail: ${path.relative(scratch.path, jail)} ${existsSync(jail) ? 'exists' : 'missing'}`,
);

const outcome = await vm.shutdown();
console.log(`shut down by ${outcome.method}${outcome.graceful ? ' (graceful)' : ''}`);
// The jail goes with the VM's other files.
await vm.cleanup();
console.log(`after cleanup: jail ${existsSync(jail) ? 'still there' : 'removed'}`);
