// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { decodeLz4Legacy, LZ4_LEGACY_MAGIC } from './lz4.ts';

// The x86 boot protocol's setup header (Documentation/arch/x86/boot.rst).
const SETUP_SECTS = 0x1f1;
const HEADER_MAGIC = 0x202;
const PAYLOAD_OFFSET = 0x248;
const PAYLOAD_LENGTH = 0x24c;
const ELF_MAGIC = Buffer.from([0x7f, 0x45, 0x4c, 0x46]);

/**
 * The uncompressed ELF kernel (`vmlinux`) inside an x86 bzImage whose payload is LZ4-compressed,
 * as Debian's kernels are: Firecracker boots only the ELF. The payload ends with the ELF's length
 * (the kernel build's `size_append`).
 */
export const extractVmlinux = (bzImage: Buffer): Buffer => {
  if (
    bzImage.length < 0x260 ||
    bzImage.toString('latin1', HEADER_MAGIC, HEADER_MAGIC + 4) !== 'HdrS'
  ) {
    throw new RangeError('not an x86 bzImage: no "HdrS" setup header at byte 0x202');
  }
  // Zero setup sectors means 4, for old boot loaders.
  const setupSectors = bzImage[SETUP_SECTS] === 0 ? 4 : (bzImage[SETUP_SECTS] ?? 4);
  const start = (setupSectors + 1) * 512 + bzImage.readUInt32LE(PAYLOAD_OFFSET);
  const payload = bzImage.subarray(start, start + bzImage.readUInt32LE(PAYLOAD_LENGTH));
  if (!payload.subarray(0, 4).equals(LZ4_LEGACY_MAGIC)) {
    throw new RangeError(
      `the bzImage's payload at byte ${start} is not LZ4 (legacy frame magic 02 21 4c 18): ` +
        'only LZ4-compressed kernels (CONFIG_KERNEL_LZ4, as Debian builds them) are supported',
    );
  }
  const elf = decodeLz4Legacy(payload, payload.readUInt32LE(payload.length - 4));
  if (!elf.subarray(0, 4).equals(ELF_MAGIC)) {
    throw new RangeError('the decompressed kernel is not an ELF file');
  }
  return elf;
};
