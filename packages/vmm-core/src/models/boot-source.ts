// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { z } from 'zod';
import { denyUnknownFields, expecting, serdeOption, wireString } from './wire-types.js';

/** The longest `boot_args` Firecracker accepts: a 2048-byte command line including its NUL. */
export const BOOT_ARGS_MAX_BYTES = 2047;

/** The kernel command line Firecracker uses when `boot_args` is not given. */
export const DEFAULT_BOOT_ARGS =
  'reboot=k panic=1 nomodule 8250.nr_uarts=0 i8042.noaux i8042.nomux i8042.dumbkbd swiotlb=noforce';

// linux-loader's `Cmdline` accepts only printable ASCII, space to `~`.
const PRINTABLE_ASCII = /^[\u0020-\u007E]*$/u;

const bootArgsSchema = z
  .string(expecting('a kernel command line string'))
  .regex(PRINTABLE_ASCII, {
    error:
      'must be printable ASCII only, space to "~" (Firecracker: "String contains a non-printable ASCII character.")',
  })
  .max(BOOT_ARGS_MAX_BYTES, {
    error: `must be at most ${BOOT_ARGS_MAX_BYTES} bytes (Firecracker: "Inserting string would make command line too long.")`,
  });

/**
 * The zod schema of a `BootSource` (`PUT /boot-source`; `boot-source` in a config file and in
 * `GET /vm/config`). Unknown fields are rejected.
 *
 * Firecracker opens the kernel and initrd at PUT time, so a bad path fails there. `boot_args`
 * replaces {@link DEFAULT_BOOT_ARGS}; it must be printable ASCII of at most 2047 bytes. At
 * `InstanceStart` Firecracker appends `pci=off` (without `--enable-pci`), the root device
 * (`root=/dev/vda`, `root=PARTUUID=…` or `root=/dev/pmemN`, with `ro`/`rw`) and on x86 one
 * `virtio_mmio.device=…` per MMIO device; if the result no longer fits, the start fails.
 */
export const bootSourceSchema = denyUnknownFields('BootSource', {
  /**
   * Host path of the guest kernel: an uncompressed ELF `vmlinux` on x86_64 (v1.16.1), a PE
   * `Image` on aarch64. `GET /vm/config` reports `""` when no boot source is set.
   */
  kernel_image_path: wireString('a path string'),
  /** Host path of an initrd (newc cpio). */
  initrd_path: serdeOption(wireString('a path string')),
  /** Kernel command line; replaces the default one. Printable ASCII, at most 2047 bytes. */
  boot_args: serdeOption(bootArgsSchema),
});

/**
 * The guest kernel, optional initrd and kernel command line.
 *
 * @interface
 */
export type BootSource = z.infer<typeof bootSourceSchema>;
