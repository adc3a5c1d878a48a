// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

// Snapshot a running microVM, keep a copy of the snapshot, and restore the copy into a new VM.
//   node examples/snapshot-restore.ts
import path from 'node:path';
import { Vm } from '@kindling/vm';
import { createScratchFolder, readEnvironment } from './environment.ts';

const { installation, bootSource, socketWaitTimeoutMs } = readEnvironment();
await using scratch = await createScratchFolder('snapshot');

const describe = async (name: string, vm: Vm): Promise<string> => {
  const machine = await vm.getMachineConfig();
  return `${name}: ${vm.state}, ${machine.vcpu_count} vCPU, ${machine.mem_size_mib} MiB`;
};

await using original = await Vm.prepare({
  installation,
  socketWaitTimeoutMs,
  configuration: {
    bootSource,
    machineConfig: { vcpu_count: 1, mem_size_mib: 128 },
  },
});
await original.start();
console.log(await describe('original', original));

// A snapshot needs a paused VM. Its files are the VM's own (removed by its cleanup): the copy is
// yours, and stays.
await original.pause();
const snapshot = await original.createSnapshot({
  type: 'Full',
  snapshotPath: path.join(scratch.path, 'vm.state'),
  memPath: path.join(scratch.path, 'vm.mem'),
});
const kept = await snapshot.copy({
  snapshotPath: path.join(scratch.path, 'kept', 'vm.state'),
  memPath: path.join(scratch.path, 'kept', 'vm.mem'),
});
console.log(
  `snapshot: ${snapshot.type}, copied to ${path.relative(scratch.path, kept.snapshotPath)}`,
);

// The original can go: the copy restores on its own.
await original.shutdown([{ method: 'kill' }]);
await original.cleanup();

await using restored = await Vm.restore(kept, { resume: true, socketWaitTimeoutMs });
// /snapshot/load with resume_vm: true.
await restored.start();
console.log(await describe('restored', restored));
// Leaving the scope shuts the restored VM down and removes what it made; then the scratch folder.
