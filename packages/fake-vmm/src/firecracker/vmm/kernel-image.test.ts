// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { describe, expect, it } from 'vitest';
import { FAKE_KERNEL_IMAGE } from '../../testing/fake-kernel.js';
import { kernelLoadFault, type KernelImage } from './kernel-image.js';

const imageOf = (bytes: Uint8Array): KernelImage => {
  const buffer = Buffer.from(bytes);
  const header = buffer.subarray(0, 64);
  const offset = header.length === 64 ? Number(header.readBigUInt64LE(32)) : 0;
  const count = header.length === 64 ? header.readUInt16LE(56) : 0;
  return {
    header,
    programHeaders: buffer.subarray(offset, offset + count * 56),
    size: BigInt(buffer.length),
  };
};

const patched = (at: number, write: (image: Buffer) => void): Uint8Array => {
  const image = Buffer.from(FAKE_KERNEL_IMAGE);
  write(image.subarray(at));
  return image;
};

const PREFIX =
  'Start microvm error: System configuration error: Cannot load kernel due to invalid memory configuration or invalid kernel image: Kernel Loader: failed to load ELF kernel image: Kernel Loader: ';

describe('kernelLoadFault (linux-loader Elf::load)', () => {
  it('loads the fake kernel image into 17 MiB or more, and not into 16', () => {
    expect(kernelLoadFault(imageOf(FAKE_KERNEL_IMAGE), 128)).toBeUndefined();
    expect(kernelLoadFault(imageOf(FAKE_KERNEL_IMAGE), 17)).toBeUndefined();
    expect(kernelLoadFault(imageOf(FAKE_KERNEL_IMAGE), 16)).toBe(
      `${PREFIX}Unable to read kernel image`,
    );
  });

  it.each([
    ['a text file', Buffer.from('not a kernel'), 'Unable to read elf header'],
    ['an empty file', Buffer.alloc(0), 'Unable to read elf header'],
    ['a bad magic', patched(0, (b) => b.write('MZ')), 'Invalid Elf magic number'],
    [
      'a big-endian image',
      patched(5, (b) => b.writeUInt8(2)),
      'Trying to load big-endian binary on little-endian machine',
    ],
    ['a wrong e_phentsize', patched(54, (b) => b.writeUInt16LE(32)), 'Invalid program header size'],
    [
      'an e_phoff inside the header',
      patched(32, (b) => b.writeBigUInt64LE(8n)),
      'Invalid program header offset',
    ],
    [
      'an entry below 1 MiB',
      patched(24, (b) => b.writeBigUInt64LE(0x1000n)),
      'Invalid entry address',
    ],
    [
      'more program headers than the file holds',
      patched(56, (b) => b.writeUInt16LE(3)),
      'Unable to read program header',
    ],
    [
      'a segment past the end of the file',
      patched(96, (b) => b.writeBigUInt64LE(4096n)),
      'Unable to read kernel image',
    ],
  ])('refuses %s', (_name, bytes, problem) => {
    expect(kernelLoadFault(imageOf(bytes), 128)).toBe(`${PREFIX}${problem}`);
  });
});
