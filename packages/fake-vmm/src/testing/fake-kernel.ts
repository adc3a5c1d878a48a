// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { writeFile } from 'node:fs/promises';

const LOAD_ADDRESS = 0x100_0000n;
const EHDR_BYTES = 64;
const PHDR_BYTES = 56;
// hlt; jmp back to the hlt: a guest that does nothing, forever.
const CODE = Buffer.from([0xf4, 0xeb, 0xfd, 0x90]);

const buildImage = (): Buffer => {
  const image = Buffer.alloc(EHDR_BYTES + PHDR_BYTES + CODE.length);
  // e_ident: magic, ELFCLASS64, ELFDATA2LSB, EV_CURRENT.
  image.set([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1], 0);
  // e_type: ET_EXEC
  image.writeUInt16LE(2, 16);
  // e_machine: x86-64
  image.writeUInt16LE(0x3e, 18);
  // e_version
  image.writeUInt32LE(1, 20);
  // e_entry
  image.writeBigUInt64LE(LOAD_ADDRESS, 24);
  // e_phoff
  image.writeBigUInt64LE(BigInt(EHDR_BYTES), 32);
  // e_ehsize
  image.writeUInt16LE(EHDR_BYTES, 52);
  // e_phentsize
  image.writeUInt16LE(PHDR_BYTES, 54);
  // e_phnum
  image.writeUInt16LE(1, 56);
  // e_shentsize
  image.writeUInt16LE(64, 58);
  const phdr = EHDR_BYTES;
  // p_type: PT_LOAD
  image.writeUInt32LE(1, phdr);
  // p_flags: R+X
  image.writeUInt32LE(5, phdr + 4);
  // p_offset
  image.writeBigUInt64LE(BigInt(EHDR_BYTES + PHDR_BYTES), phdr + 8);
  // p_vaddr
  image.writeBigUInt64LE(LOAD_ADDRESS, phdr + 16);
  // p_paddr
  image.writeBigUInt64LE(LOAD_ADDRESS, phdr + 24);
  // p_filesz
  image.writeBigUInt64LE(BigInt(CODE.length), phdr + 32);
  // p_memsz
  image.writeBigUInt64LE(BigInt(CODE.length), phdr + 40);
  // p_align
  image.writeBigUInt64LE(1n, phdr + 48);
  CODE.copy(image, EHDR_BYTES + PHDR_BYTES);
  return image;
};

/**
 * The smallest kernel file Firecracker v1.16.1 (and the fake) loads: an x86-64 ELF64 image with
 * one `PT_LOAD` segment at 16 MiB, so the VM needs at least 17 MiB of memory. A real guest
 * that runs it halts at once; the fake simulates its guest whatever the kernel holds.
 */
export const FAKE_KERNEL_IMAGE: Uint8Array = new Uint8Array(buildImage());

/** Writes `FAKE_KERNEL_IMAGE` to `path` (replacing the file) and resolves with `path`. */
export const writeFakeKernel = async (path: string): Promise<string> => {
  await writeFile(path, FAKE_KERNEL_IMAGE);
  return path;
};
