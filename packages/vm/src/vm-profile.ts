// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import path from 'node:path';
import { parseResourceLimits, type ResourceLimits } from '@kindling/executor';
import { parseInput } from '@kindling/helpers';
import { rateLimiterSchema } from '@kindling/vmm-core';
import { z } from 'zod';
import { VmError } from './errors.js';
import { isPlainObject } from './input-checks.js';

/** Whether a VM may have a network: none at all, interfaces without egress, or with egress. */
export const VM_NETWORK_ACCESS = ['none', 'isolated', 'egress'] as const;

/** One of `VM_NETWORK_ACCESS`. */
export type VmNetworkAccess = (typeof VM_NETWORK_ACCESS)[number];

const absoluteFolderSchema = z
  .string()
  .refine((value) => path.isAbsolute(value) && !value.includes('\0'), {
    error: 'expected an absolute folder path',
  });

/** The zod schema of a `VmProfile` (unknown keys refused). */
export const vmProfileSchema = z.strictObject({
  /**
   * Memory, CPU and pid limits put on the VM's cgroup by the executor
   * (`executor.withResourceLimits`): needs a `JailedExecutor`, since the jailer makes the cgroup.
   */
  limits: z
    .custom<ResourceLimits>(isPlainObject, { error: 'expected a ResourceLimits object' })
    .optional(),
  /**
   * The host folders the VM's files may come from: kernel, initrd, every drive and pmem file (and
   * a restored VM's snapshot, memory and device files) must resolve (symlinks followed) inside
   * one of them.
   */
  allowedFolders: z.array(absoluteFolderSchema).readonly().optional(),
  /**
   * `'none'`: no network interface at all; `'isolated'`: interfaces, no egress; `'egress'`:
   * interfaces with egress. Egress itself is set up by `@kindling/ext-network`, which checks it
   * and allows it only under `'egress'`. Unset: interfaces allowed, egress not.
   */
  network: z
    .enum(VM_NETWORK_ACCESS, { error: "expected 'none', 'isolated' or 'egress'" })
    .optional(),
  /**
   * Firecracker rate limiters given to every drive (virtio-block) and network interface that has
   * none; a device that sets a looser one is refused.
   */
  rateLimiters: z
    .strictObject({
      drive: rateLimiterSchema.optional(),
      network: z
        .strictObject({ rx: rateLimiterSchema.optional(), tx: rateLimiterSchema.optional() })
        .optional(),
    })
    .optional(),
});

/**
 * What a VM may use and reach: resource limits, the folders its files may come from, whether it
 * has a network (and egress), and the rate limiters of its drives and interfaces. `Vm.prepare`
 * and `Vm.restore` check it before anything is started or written.
 *
 * @interface
 */
export type VmProfile = z.input<typeof vmProfileSchema>;

/** A `VmProfile` after validation. */
export type ResolvedVmProfile = Readonly<z.output<typeof vmProfileSchema>>;

/** Validates a profile; a bad field throws `ERR_INVALID_INPUT` naming it. */
export const parseVmProfile = (value: unknown, subject = 'options.profile'): ResolvedVmProfile => {
  const profile = parseInput(
    vmProfileSchema,
    value,
    subject,
    (message, options) => new VmError('ERR_INVALID_INPUT', message, options),
  );
  if (profile.limits !== undefined) {
    // The executor's own rules, checked here so that the error names the profile's field.
    try {
      parseResourceLimits(profile.limits, `${subject}.limits`);
    } catch (error) {
      throw new VmError('ERR_INVALID_INPUT', (error as Error).message, { cause: error });
    }
  }
  return profile;
};
