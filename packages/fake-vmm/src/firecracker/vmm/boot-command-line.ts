// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import type { VmResources } from './vm-resources.js';

/** Firecracker's default kernel command line, replaced (not extended) by `boot_args`. */
export const DEFAULT_KERNEL_CMDLINE =
  'reboot=k panic=1 nomodule 8250.nr_uarts=0 i8042.noaux i8042.nomux i8042.dumbkbd swiotlb=noforce';

// x86's command line capacity is 2048 bytes including the NUL terminator.
const CMDLINE_CAPACITY = 2048;

/**
 * `PUT /boot-source`: linux-loader's `Cmdline::try_from(boot_args, 2048)`, which checks only the
 * capacity (a real v1.16.1 takes tabs, control characters and non-ASCII text as they are).
 */
export const checkBootArgs = (text: string): string | undefined =>
  Buffer.byteLength(text) >= CMDLINE_CAPACITY ? 'Invalid cmdline capacity provided.' : undefined;

/** `InstanceStart`: the composed command line must fit the capacity with its NUL. */
export const checkCommandLine = (text: string): string | undefined =>
  Buffer.byteLength(text) >= CMDLINE_CAPACITY
    ? 'Inserting string would make command line too long.'
    : undefined;

/**
 * The command line the guest boots with: `boot_args` (or the default) plus what Firecracker
 * appends at `InstanceStart` (`pci=off`, the root device, one `virtio_mmio.device` per MMIO device).
 */
export const composeCommandLine = (resources: VmResources, enablePci: boolean): string => {
  const parts = [resources.bootSource?.boot_args ?? DEFAULT_KERNEL_CMDLINE];
  if (!enablePci) {
    parts.push('pci=off');
  }
  const rootDrive = resources.drives.find((drive) => drive.is_root_device);
  const rootPmem = resources.pmems.findIndex((pmem) => pmem.root_device);
  if (rootDrive !== undefined) {
    parts.push(
      rootDrive.partuuid === null ? 'root=/dev/vda' : `root=PARTUUID=${rootDrive.partuuid}`,
      rootDrive.is_read_only ? 'ro' : 'rw',
    );
  } else if (rootPmem !== -1) {
    parts.push(
      `root=/dev/pmem${rootPmem}`,
      resources.pmems[rootPmem]?.read_only === true ? 'ro' : 'rw',
    );
  }
  if (!enablePci) {
    const devices =
      resources.drives.length +
      resources.nets.length +
      resources.pmems.length +
      (resources.vsock === undefined ? 0 : 1) +
      (resources.balloon === undefined ? 0 : 1) +
      (resources.entropy === undefined ? 0 : 1) +
      (resources.hotplug === undefined ? 0 : 1);
    for (let index = 0; index < devices; index += 1) {
      parts.push(
        `virtio_mmio.device=4K@0x${(0xc000_1000 + index * 0x1000).toString(16)}:${5 + index}`,
      );
    }
  }
  return parts.join(' ');
};
