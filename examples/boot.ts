// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

// Boot a microVM, ask Firecracker about it, and shut it down gracefully.
//   node examples/boot.ts
import { Vm } from '@kindling/vm';
import { readEnvironment } from './environment.ts';

const { installation, bootSource, socketWaitTimeoutMs } = readEnvironment();

// A VM with every default: a unique id, its own API socket, Firecracker run as this user.
await using vm = await Vm.prepare({
  installation,
  socketWaitTimeoutMs,
  configuration: {
    bootSource,
    machineConfig: { vcpu_count: 1, mem_size_mib: 128 },
  },
});
// Configures Firecracker through its API, then InstanceStart.
await vm.start();

const info = await vm.getInfo();
const machine = await vm.getMachineConfig();
console.log(`${vm.state}: Firecracker ${info.vmm_version} says ${info.state}`);
console.log(`${machine.vcpu_count} vCPU, ${machine.mem_size_mib} MiB`);

// Ctrl+Alt+Del first (the guest reboots, and reboot=k ends Firecracker), then a kill if needed.
const outcome = await vm.shutdown();
console.log(`shut down by ${outcome.method}${outcome.graceful ? ' (graceful)' : ''}`);
// Leaving the scope removes the socket and everything else the VM made.
