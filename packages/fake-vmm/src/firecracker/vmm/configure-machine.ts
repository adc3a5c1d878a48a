// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { closeSync, openSync } from 'node:fs';
import { describeIoError } from '../../rust/io-error.js';
import { readKernelImage, type KernelImage } from './kernel-image.js';
import { checkBootArgs, DEFAULT_KERNEL_CMDLINE } from './boot-command-line.js';
import type { Body } from './vmm-action.js';
import { faultOutcome, NO_CONTENT, type VmmOutcome } from './vmm-outcome.js';
import type {
  HotplugState,
  MachineConfigState,
  MmdsConfigState,
  VmResources,
} from './vm-resources.js';

// Firecracker's x86_64 MAX_SUPPORTED_VCPUS.
const MAX_VCPUS = 32;

const text = (value: unknown): string | undefined =>
  typeof value === 'string' ? value : undefined;
const count = (value: unknown): number | undefined =>
  typeof value === 'number' ? value : undefined;
const flag = (value: unknown): boolean | undefined =>
  typeof value === 'boolean' ? value : undefined;

/** `MachineConfig::update` plus the balloon check of `VmResources::update_machine_config`. */
export const updateMachineConfig = (
  resources: VmResources,
  update: Body,
  isPut: boolean,
): VmmOutcome => {
  const current = resources.machineConfig;
  const vcpuCount = count(update.vcpu_count) ?? current.vcpu_count;
  // A PUT resets what it omits (but not cpu_template); a PATCH keeps it.
  const smt = flag(update.smt) ?? (isPut ? false : current.smt);
  if (vcpuCount === 0 || vcpuCount > MAX_VCPUS || (smt && vcpuCount > 1 && vcpuCount % 2 === 1)) {
    return faultOutcome(
      'Machine config error: The number of vCPUs must be greater than 0, less than 32 and must be 1 or an even number if SMT is enabled.',
    );
  }
  const memSizeMib = count(update.mem_size_mib) ?? current.mem_size_mib;
  const hugePages =
    (update.huge_pages === '2M' || update.huge_pages === 'None' ? update.huge_pages : undefined) ??
    (isPut ? 'None' : current.huge_pages);
  if (memSizeMib === 0 || (hugePages === '2M' && memSizeMib % 2 !== 0)) {
    return faultOutcome(
      'Machine config error: The memory size (MiB) is either 0, or not a multiple of the configured page size.',
    );
  }
  if (resources.balloon !== undefined && memSizeMib < resources.balloon.amount_mib) {
    return faultOutcome(
      'Machine config error: The memory size (MiB) is smaller than the previously set balloon device target size.',
    );
  }
  const template = text(update.cpu_template);
  const next: MachineConfigState = {
    vcpu_count: vcpuCount,
    mem_size_mib: memSizeMib,
    smt,
    cpu_template:
      template === undefined ? current.cpu_template : template === 'None' ? undefined : template,
    track_dirty_pages:
      flag(update.track_dirty_pages) ?? (isPut ? false : current.track_dirty_pages),
    huge_pages: hugePages,
  };
  if (template !== undefined) {
    resources.cpuConfig = undefined;
  }
  resources.machineConfig = next;
  return NO_CONTENT;
};

/** `BootConfig::new`: opens the kernel and initrd, checks `boot_args`. */
export const setBootSource = (
  resources: VmResources,
  body: Body,
  resolvePath: (path: string) => string,
): VmmOutcome => {
  const kernel = String(body.kernel_image_path);
  const initrd = text(body.initrd_path);
  const bootArgs = text(body.boot_args);
  let kernelImage: KernelImage;
  try {
    kernelImage = readKernelImage(resolvePath(kernel));
  } catch (error) {
    return faultOutcome(
      `Boot source error: The kernel file cannot be opened: ${describeIoError(error).display}`,
    );
  }
  if (initrd !== undefined) {
    try {
      closeSync(openSync(resolvePath(initrd), 'r'));
    } catch (error) {
      return faultOutcome(
        `Boot source error: The initrd file cannot be opened due to invalid path or invalid permissions. ${describeIoError(error).display}`,
      );
    }
  }
  const problem = checkBootArgs(bootArgs ?? DEFAULT_KERNEL_CMDLINE);
  if (problem !== undefined) {
    return faultOutcome(`Boot source error: The kernel command line is invalid: ${problem}`);
  }
  resources.bootSource = {
    kernel_image_path: kernel,
    initrd_path: initrd ?? null,
    boot_args: bootArgs ?? null,
  };
  resources.kernelImage = kernelImage;
  return NO_CONTENT;
};

/** `BalloonBuilder::set` behind `VmResources::set_balloon_device`. */
export const setBalloon = (resources: VmResources, body: Body): VmmOutcome => {
  const amount = Number(body.amount_mib);
  if (amount > resources.machineConfig.mem_size_mib) {
    return faultOutcome('Balloon config error: Amount of pages requested is too large.');
  }
  resources.balloon = {
    amount_mib: amount,
    deflate_on_oom: body.deflate_on_oom === true,
    stats_polling_interval_s: count(body.stats_polling_interval_s) ?? 0,
    free_page_hinting: body.free_page_hinting === true,
    free_page_reporting: body.free_page_reporting === true,
    hostCmd: 0,
    guestCmd: null,
    acknowledgeOnStop: true,
  };
  return NO_CONTENT;
};

const isPowerOfTwo = (value: number): boolean => value > 0 && (value & (value - 1)) === 0;

// `MemoryHotplugConfig::validate`: the first rule broken, in Firecracker's order.
const hotplugProblem = (total: number, block: number, slot: number): string | undefined => {
  if (block < 2) {
    return 'Block size must not be lower than 2 MiB';
  }
  if (!isPowerOfTwo(block)) {
    return 'Block size must be a power of 2';
  }
  if (slot < 128) {
    return 'Slot size must not be lower than 128 MiB';
  }
  if (slot % block !== 0) {
    return `Slot size must be a multiple of block size (${block} MiB)`;
  }
  if (total < slot) {
    return `Total size must not be lower than slot size (${slot} MiB)`;
  }
  return total % slot === 0
    ? undefined
    : `Total size must be a multiple of slot size (${slot} MiB)`;
};

/** `MemoryHotplugConfig::validate`, checked in Firecracker's order. */
export const setMemoryHotplug = (resources: VmResources, body: Body): VmmOutcome => {
  const total = Number(body.total_size_mib);
  const block = count(body.block_size_mib) ?? 2;
  const slot = count(body.slot_size_mib) ?? 128;
  const problem = hotplugProblem(total, block, slot);
  if (problem !== undefined) {
    return faultOutcome(`Memory hotplug config error: ${problem}`);
  }
  const hotplug: HotplugState = {
    total_size_mib: total,
    block_size_mib: block,
    slot_size_mib: slot,
    requested_size_mib: 0,
    plugged_size_mib: 0,
  };
  resources.hotplug = hotplug;
  return NO_CONTENT;
};

const DEFAULT_MMDS_IPV4 = '169.254.169.254';

const isLinkLocal = (address: string): boolean => {
  const [first, second, third] = address.split('.').map(Number);
  return first === 169 && second === 254 && third !== 0 && third !== 255;
};

/** `VmResources::set_mmds_config`: address, then interface list, then attaches MMDS. */
export const setMmdsConfig = (resources: VmResources, body: Body): VmmOutcome => {
  const address = text(body.ipv4_address) ?? DEFAULT_MMDS_IPV4;
  if (!isLinkLocal(address)) {
    return faultOutcome('MMMDS config error: The MMDS IPv4 address is not link local.');
  }
  const interfaces = (body.network_interfaces as string[] | undefined) ?? [];
  if (interfaces.length === 0) {
    return faultOutcome(
      'MMMDS config error: The list of network interface IDs that allow forwarding MMDS requests is empty.',
    );
  }
  if (!interfaces.every((id) => resources.nets.some((net) => net.iface_id === id))) {
    return faultOutcome(
      'MMMDS config error: The list of network interface IDs provided contains at least one ID that does not correspond to any existing network interface.',
    );
  }
  const config: MmdsConfigState = {
    version: body.version === 'V2' ? 'V2' : 'V1',
    network_interfaces: interfaces,
    ipv4_address: address,
    imds_compat: body.imds_compat === true,
  };
  resources.mmdsConfig = config;
  for (const net of resources.nets) {
    net.mmds = interfaces.includes(net.iface_id);
  }
  return NO_CONTENT;
};
