// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { closeSync, fstatSync, openSync, readSync } from 'node:fs';

// linux-loader's x86_64 ELF loader (`Elf::load`), as Firecracker v1.16.1 calls it at
// InstanceStart with the high-memory start (1 MiB) as the lowest entry address.
const EHDR_BYTES = 64;
const PHDR_BYTES = 56;
const PT_LOAD = 1;
const HIMEM_START = 0x10_0000n;
// Guest RAM on x86_64: [0, 3 GiB) then, above the 32-bit MMIO gap, [4 GiB, …).
const MMIO32_START = 0xc000_0000n;
const PAST_32_BITS = 0x1_0000_0000n;
const MIB = 0x10_0000n;
// More program headers than any kernel has; past this the fake stops reading (and accepts).
const MAX_PHDRS = 256;

/**
 * What the kernel file held when `PUT /boot-source` opened it: Firecracker keeps that file
 * descriptor, so the loader later reads what the file held then.
 */
export interface KernelImage {
  readonly header: Buffer;
  readonly programHeaders: Buffer;
  readonly size: bigint;
}

/** Reads the ELF header and program headers of the kernel file at `path` (throws on I/O errors). */
export const readKernelImage = (path: string): KernelImage => {
  const fd = openSync(path, 'r');
  try {
    const size = BigInt(fstatSync(fd).size);
    const header = Buffer.alloc(EHDR_BYTES);
    const headerRead = readSync(fd, header, 0, EHDR_BYTES, 0);
    let programHeaders = Buffer.alloc(0);
    if (headerRead === EHDR_BYTES) {
      const offset = header.readBigUInt64LE(32);
      const count = Math.min(header.readUInt16LE(56), MAX_PHDRS);
      if (offset < size) {
        programHeaders = Buffer.alloc(count * PHDR_BYTES);
        const read = readSync(fd, programHeaders, 0, programHeaders.length, Number(offset));
        programHeaders = programHeaders.subarray(0, read);
      }
    }
    return { header: header.subarray(0, headerRead), programHeaders, size };
  } finally {
    closeSync(fd);
  }
};

const fitsGuestMemory = (start: bigint, length: bigint, memSizeMib: number): boolean => {
  const memBytes = BigInt(memSizeMib) * MIB;
  const low = memBytes < MMIO32_START ? memBytes : MMIO32_START;
  const end = start + length;
  if (end <= low) {
    return true;
  }
  const high = memBytes - low;
  return start >= PAST_32_BITS && end <= PAST_32_BITS + high;
};

const problemOf = (image: KernelImage, memSizeMib: number): string | undefined => {
  const { header } = image;
  if (header.length < EHDR_BYTES) {
    return 'Unable to read elf header';
  }
  if (header.readUInt32BE(0) !== 0x7f_45_4c_46) {
    return 'Invalid Elf magic number';
  }
  // EI_DATA: ELFDATA2LSB.
  if (header[5] !== 1) {
    return 'Trying to load big-endian binary on little-endian machine';
  }
  if (header.readUInt16LE(54) !== PHDR_BYTES) {
    return 'Invalid program header size';
  }
  const phoff = header.readBigUInt64LE(32);
  if (phoff < BigInt(EHDR_BYTES)) {
    return 'Invalid program header offset';
  }
  if (header.readBigUInt64LE(24) < HIMEM_START) {
    return 'Invalid entry address';
  }
  const count = Math.min(header.readUInt16LE(56), MAX_PHDRS);
  if (image.programHeaders.length < count * PHDR_BYTES) {
    return 'Unable to read program header';
  }
  for (let index = 0; index < count; index += 1) {
    const at = index * PHDR_BYTES;
    const type = image.programHeaders.readUInt32LE(at);
    const offset = image.programHeaders.readBigUInt64LE(at + 8);
    const paddr = image.programHeaders.readBigUInt64LE(at + 24);
    const filesz = image.programHeaders.readBigUInt64LE(at + 32);
    if (type !== PT_LOAD || filesz === 0n) {
      continue;
    }
    // read_exact_from: the segment must be in the file and land in guest RAM.
    if (offset + filesz > image.size || !fitsGuestMemory(paddr, filesz, memSizeMib)) {
      return 'Unable to read kernel image';
    }
  }
  return undefined;
};

/**
 * The fault Firecracker answers at InstanceStart when the loader refuses the kernel, or
 * undefined when it loads.
 */
export const kernelLoadFault = (image: KernelImage, memSizeMib: number): string | undefined => {
  const problem = problemOf(image, memSizeMib);
  return problem === undefined
    ? undefined
    : `Start microvm error: System configuration error: Cannot load kernel due to invalid memory configuration or invalid kernel image: Kernel Loader: failed to load ELF kernel image: Kernel Loader: ${problem}`;
};
