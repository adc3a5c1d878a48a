// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import type { z } from 'zod';
import { addRuleIssue, denyUnknownFields, responseObject, u64 } from './wire-types.js';

/** The block size Firecracker uses when `block_size_mib` is not given, in MiB. */
export const DEFAULT_HOTPLUG_BLOCK_SIZE_MIB = 2;
/** The slot size Firecracker uses when `slot_size_mib` is not given, in MiB. */
export const DEFAULT_HOTPLUG_SLOT_SIZE_MIB = 128;

const isPowerOfTwo = (value: number): boolean => {
  let rest = value;
  while (rest > 1 && rest % 2 === 0) {
    rest /= 2;
  }
  return rest === 1;
};

/**
 * The zod schema of a `MemoryHotplugConfig` (`PUT /hotplug/memory`, before boot; `memory-hotplug`
 * in a config file and in `GET /vm/config`): a virtio-mem region. Unknown fields are rejected.
 *
 * Firecracker's rules, checked in this order (each message prefixed `"Memory hotplug config
 * error: "`): `block_size_mib` at least 2 and a power of 2; `slot_size_mib` at least 128 and a
 * multiple of the block size; `total_size_mib` at least the slot size and a multiple of it. At
 * v1.16.1 the sizes are `usize`; newer Firecracker caps them at u32.
 */
export const memoryHotplugConfigSchema = denyUnknownFields('MemoryHotplugConfig', {
  /** Size of the hot-pluggable region in MiB; a multiple of the slot size, at least one slot. */
  total_size_mib: u64(),
  /** Slot size in MiB (host-side granularity); at least 128, a multiple of the block size. */
  slot_size_mib: u64()
    .min(DEFAULT_HOTPLUG_SLOT_SIZE_MIB, {
      error: 'must be at least 128 (Firecracker: "Slot size must not be lower than 128 MiB")',
    })
    .optional(),
  /** Block size in MiB (guest-side granularity); at least 2 and a power of 2. */
  block_size_mib: u64()
    .min(DEFAULT_HOTPLUG_BLOCK_SIZE_MIB, {
      error: 'must be at least 2 (Firecracker: "Block size must not be lower than 2 MiB")',
    })
    .refine(isPowerOfTwo, {
      error: 'must be a power of 2 (Firecracker: "Block size must be a power of 2")',
    })
    .optional(),
}).superRefine((config, context) => {
  const block = config.block_size_mib ?? DEFAULT_HOTPLUG_BLOCK_SIZE_MIB;
  const slot = config.slot_size_mib ?? DEFAULT_HOTPLUG_SLOT_SIZE_MIB;
  if (slot % block !== 0) {
    addRuleIssue(
      context,
      ['slot_size_mib'],
      `must be a multiple of the block size ${block} (Firecracker: "Slot size must be a multiple of block size (${block} MiB)")`,
      slot,
    );
    return;
  }
  if (config.total_size_mib < slot) {
    addRuleIssue(
      context,
      ['total_size_mib'],
      `must be at least the slot size ${slot} (Firecracker: "Total size must not be lower than slot size (${slot} MiB)")`,
      config.total_size_mib,
    );
  } else if (config.total_size_mib % slot !== 0) {
    addRuleIssue(
      context,
      ['total_size_mib'],
      `must be a multiple of the slot size ${slot} (Firecracker: "Total size must be a multiple of slot size (${slot} MiB)")`,
      config.total_size_mib,
    );
  }
});

/**
 * A hot-pluggable (virtio-mem) memory region.
 *
 * @interface
 */
export type MemoryHotplugConfig = z.infer<typeof memoryHotplugConfigSchema>;

/**
 * The zod schema of a `PATCH /hotplug/memory` body (after boot): the size to plug, in MiB.
 * Firecracker also requires a multiple of the block size, at most the total size, and an active
 * guest driver; those depend on the configuration and the guest.
 */
export const memoryHotplugSizeUpdateSchema = denyUnknownFields('MemoryHotplugSizeUpdate', {
  /** Size to plug in MiB (usize at v1.16.1), from 0 to `total_size_mib` in blocks. */
  requested_size_mib: u64(),
});

/**
 * A new plugged size for hot-pluggable memory.
 *
 * @interface
 */
export type MemoryHotplugSizeUpdate = z.infer<typeof memoryHotplugSizeUpdateSchema>;

/** The zod schema of the `GET /hotplug/memory` response (after boot). Unknown fields are kept. */
export const memoryHotplugStatusSchema = responseObject('MemoryHotplugStatus', {
  /** Size of the hot-pluggable region in MiB. */
  total_size_mib: u64(),
  /** Slot size in MiB. */
  slot_size_mib: u64(),
  /** Block size in MiB. */
  block_size_mib: u64(),
  /** Size plugged into the guest in MiB. */
  plugged_size_mib: u64(),
  /** Size last requested in MiB. */
  requested_size_mib: u64(),
});

/**
 * The state of hot-pluggable memory.
 *
 * @interface
 */
export type MemoryHotplugStatus = z.infer<typeof memoryHotplugStatusSchema>;
