// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { describe, expect, it } from 'vitest';
import { BOOT_ARGS_MAX_BYTES, bootSourceSchema } from './boot-source.js';

const kernel = { kernel_image_path: '/vmlinux' };

describe('bootSourceSchema', () => {
  it('accepts a kernel alone, or with an initrd and boot arguments', () => {
    expect(bootSourceSchema.parse(kernel)).toEqual(kernel);
    const full = { ...kernel, initrd_path: '/initrd.cpio', boot_args: 'console=ttyS0 reboot=k' };
    expect(bootSourceSchema.parse(full)).toEqual(full);
  });

  it('accepts what GET /vm/config reports when no boot source is set', () => {
    const unset = { kernel_image_path: '', initrd_path: null, boot_args: null };
    expect(bootSourceSchema.safeParse(unset).success).toBe(true);
  });

  it('requires kernel_image_path', () => {
    const result = bootSourceSchema.safeParse({ boot_args: 'console=ttyS0' });
    expect(result.error?.issues[0]?.path).toEqual(['kernel_image_path']);
    expect(result.error?.issues[0]?.message).toBe('is required: expected a path string');
  });

  it(`accepts ${BOOT_ARGS_MAX_BYTES} bytes of boot arguments and rejects one more`, () => {
    const longest = 'a'.repeat(BOOT_ARGS_MAX_BYTES);
    expect(bootSourceSchema.safeParse({ ...kernel, boot_args: longest }).success).toBe(true);
    const result = bootSourceSchema.safeParse({ ...kernel, boot_args: `${longest}a` });
    expect(result.error?.issues[0]?.message).toContain('must be at most 2047 bytes');
  });

  it.each([
    ['a tab', 'console=ttyS0\tquiet'],
    ['a newline', 'console=ttyS0\n'],
    ['a DEL', 'quiet\u007F'],
    ['a non-ASCII character', 'init=/sbin/inït'],
  ])('rejects boot arguments with %s', (_name, bootArgs) => {
    const result = bootSourceSchema.safeParse({ ...kernel, boot_args: bootArgs });
    expect(result.error?.issues[0]?.path).toEqual(['boot_args']);
    expect(result.error?.issues[0]?.message).toContain('printable ASCII');
  });

  it('accepts every printable ASCII character, space to "~"', () => {
    const printable = String.fromCodePoint(...Array.from({ length: 95 }, (_, i) => 0x20 + i));
    expect(bootSourceSchema.safeParse({ ...kernel, boot_args: printable }).success).toBe(true);
  });

  it('rejects an unknown field, as BootSourceConfig denies unknown fields', () => {
    const result = bootSourceSchema.safeParse({ ...kernel, kernel_args: 'quiet' });
    expect(result.error?.issues[0]?.code).toBe('unrecognized_keys');
  });
});
