// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

/** Make a VM's network (TAP, optional namespace and egress), give it to a Vm, dispose of it. */
export { createVmNetwork } from './create-vm-network.js';
export {
  FIRECRACKER_DEFAULT_BOOT_ARGS,
  VmNetwork,
  type ApplyNetworkOptions,
} from './vm-network.js';
export { DEFAULT_POOL, type VmNetworkOptions } from './network-options.js';
export type { NetworkPlan } from './network-plan.js';
/** The guest's side of the link, as the kernel's ip= argument and as MMDS data. */
export {
  kernelIpArgument,
  mmdsNetworkData,
  type GuestNetwork,
  type MmdsNetworkData,
} from './guest-network.js';
/** Address arithmetic: a pool of /30s, index ↔ subnet ↔ addresses; MACs from VM ids. */
export { AddressPool, MMDS_DEFAULT_ADDRESS, type VmSubnet } from './address-pool.js';
export { macAddressFor } from './mac-address.js';
/** Removing what Node processes that died left: TAPs, namespaces, veths, nft tables. */
export {
  reconcileNetwork,
  type ReconcileNetworkOptions,
  type ReconcileNetworkReport,
} from './reconcile-network.js';
/** The error every call throws, with a stable `code` from `NetworkErrorCode`. */
export { NetworkError, type NetworkErrorCode } from './errors.js';
