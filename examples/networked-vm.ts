// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

// Network a microVM: a TAP with a /30 of 169.254.0.0/16, then a clone pair, two VMs restored from
// one snapshot, each in a network namespace of its own. Needs root (CAP_NET_ADMIN), ip, nft.
//   sudo --preserve-env env "PATH=$PATH" node examples/networked-vm.ts
import path from 'node:path';
import { UnrestrictedExecutor } from '@kindling/executor';
import { createVmNetwork, type VmNetwork } from '@kindling/ext-network';
import { Vm } from '@kindling/vm';
import { VmmArguments } from '@kindling/vmm-core';
import { createScratchFolder, readEnvironment } from './environment.ts';

const { installation, bootSource, socketWaitTimeoutMs } = readEnvironment();
await using scratch = await createScratchFolder('network');
const configuration = { bootSource, machineConfig: { vcpu_count: 1, mem_size_mib: 128 } };

/** The TAP Firecracker says the VM's eth0 is on (GET /vm/config). */
const tapOf = async (vm: Vm): Promise<string> => {
  const config = (await vm.getVmConfig()) as {
    'network-interfaces'?: { iface_id: string; host_dev_name: string }[];
  };
  const eth0 = config['network-interfaces']?.find((entry) => entry.iface_id === 'eth0');
  return eth0?.host_dev_name ?? 'none';
};

// 1. One VM on a TAP of its own: the next free /30 (the host's address first, the guest's
//    second), the guest told its address by the kernel's ip= argument. The network is declared
//    before the VM, so that it is removed after the VM is gone.
{
  await using network = await createVmNetwork();
  await using vm = await Vm.prepare({
    installation,
    socketWaitTimeoutMs,
    configuration: network.apply(configuration),
  });
  await vm.start();
  console.log(
    `vm: ${vm.state}, eth0 on ${await tapOf(vm)}, host ${network.hostAddress}/30, guest ${network.guest.address}`,
  );
  console.log(`boot argument: ${network.bootArgument}`);
}

// 2. A clone pair. Clones of one snapshot all carry the snapshot's TAP name and guest address:
//    in a namespace of its own each finds its tap0, and the host reaches each at its own address
//    (the namespace's end of a veth pair, translated to the guest's address).
const executorIn = (network: VmNetwork): UnrestrictedExecutor =>
  new UnrestrictedExecutor({
    vmmArguments: new VmmArguments(),
    // Firecracker runs under `ip netns exec <namespace>`.
    commandModifiers: network.commandModifiers,
  });

await using networks = new AsyncDisposableStack();
const namespaced = async (): Promise<VmNetwork> =>
  networks.use(await createVmNetwork({ namespace: true }));

const sourceNetwork = await namespaced();
const snapshot = await (async () => {
  await using source = await Vm.prepare({
    installation,
    socketWaitTimeoutMs,
    executor: executorIn(sourceNetwork),
    configuration: sourceNetwork.apply(configuration),
  });
  await source.start();
  await source.pause();
  const made = await source.createSnapshot({
    type: 'Full',
    snapshotPath: path.join(scratch.path, 'source.state'),
    memPath: path.join(scratch.path, 'source.mem'),
  });
  // The snapshot's files go with the source VM: the copy stays.
  return await made.copy({
    snapshotPath: path.join(scratch.path, 'clone', 'vm.state'),
    memPath: path.join(scratch.path, 'clone', 'vm.mem'),
  });
})();
console.log(
  `snapshot of a VM in ${sourceNetwork.netns ?? 'no namespace'}, guest ${sourceNetwork.guest.address}`,
);

await using clones = new AsyncDisposableStack();
for (const name of ['a', 'b']) {
  const network = await namespaced();
  const clone = clones.use(
    await Vm.restore(snapshot, {
      executor: executorIn(network),
      resume: true,
      socketWaitTimeoutMs,
    }),
  );
  await clone.start();
  console.log(
    `clone ${name}: ${clone.state} in ${network.netns ?? 'no namespace'}, eth0 on ${await tapOf(clone)}, guest ${network.guest.address}, reachable at ${network.reachableAddress}`,
  );
}
// Leaving the scope shuts the clones down, then removes the namespaces (with their TAPs, veths
// and nft tables), then the scratch folder.
