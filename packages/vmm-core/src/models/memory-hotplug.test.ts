// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { describe, expect, it } from 'vitest';
import {
  memoryHotplugConfigSchema,
  memoryHotplugSizeUpdateSchema,
  memoryHotplugStatusSchema,
} from './memory-hotplug.js';

const issueOf = (value: unknown) => memoryHotplugConfigSchema.safeParse(value).error?.issues[0];

describe('memoryHotplugConfigSchema', () => {
  it('accepts a total alone (default slot 128 MiB, block 2 MiB), and every field', () => {
    expect(memoryHotplugConfigSchema.parse({ total_size_mib: 1024 })).toEqual({
      total_size_mib: 1024,
    });
    const full = { total_size_mib: 2048, slot_size_mib: 256, block_size_mib: 128 };
    expect(memoryHotplugConfigSchema.parse(full)).toEqual(full);
  });

  it.each([
    [2, true],
    [1, false],
  ])('block_size_mib %i is accepted: %s (at least 2)', (block, ok) => {
    expect(
      memoryHotplugConfigSchema.safeParse({ total_size_mib: 128, block_size_mib: block }).success,
    ).toBe(ok);
  });

  it('requires a power-of-2 block size', () => {
    expect(
      issueOf({ total_size_mib: 384, slot_size_mib: 384, block_size_mib: 6 })?.message,
    ).toContain('Block size must be a power of 2');
    expect(
      memoryHotplugConfigSchema.safeParse({
        total_size_mib: 1024,
        slot_size_mib: 1024,
        block_size_mib: 1024,
      }).success,
    ).toBe(true);
  });

  it.each([
    [128, true],
    [127, false],
  ])('slot_size_mib %i is accepted: %s (at least 128)', (slot, ok) => {
    expect(
      memoryHotplugConfigSchema.safeParse({ total_size_mib: 128 * 127, slot_size_mib: slot })
        .success,
    ).toBe(ok);
  });

  it('requires a slot size that is a multiple of the block size', () => {
    const issue = issueOf({ total_size_mib: 192, slot_size_mib: 192, block_size_mib: 128 });
    expect(issue?.path).toEqual(['slot_size_mib']);
    expect(issue?.message).toContain('Slot size must be a multiple of block size (128 MiB)');
  });

  it('requires a total of at least one slot, and a multiple of the slot size', () => {
    expect(memoryHotplugConfigSchema.safeParse({ total_size_mib: 128 }).success).toBe(true);
    expect(issueOf({ total_size_mib: 127 })?.message).toContain(
      'Total size must not be lower than slot size (128 MiB)',
    );
    expect(issueOf({ total_size_mib: 0 })?.path).toEqual(['total_size_mib']);
    expect(issueOf({ total_size_mib: 384, slot_size_mib: 256 })?.message).toContain(
      'Total size must be a multiple of slot size (256 MiB)',
    );
  });

  it('requires total_size_mib and rejects unknown fields', () => {
    expect(memoryHotplugConfigSchema.safeParse({ slot_size_mib: 128 }).success).toBe(false);
    expect(memoryHotplugConfigSchema.safeParse({ total_size_mib: 128, size_mib: 1 }).success).toBe(
      false,
    );
  });
});

describe('memoryHotplugSizeUpdateSchema', () => {
  it('requires a non-negative requested size', () => {
    expect(memoryHotplugSizeUpdateSchema.safeParse({ requested_size_mib: 0 }).success).toBe(true);
    expect(memoryHotplugSizeUpdateSchema.safeParse({ requested_size_mib: -2 }).success).toBe(false);
    expect(memoryHotplugSizeUpdateSchema.safeParse({}).success).toBe(false);
  });
});

describe('memoryHotplugStatusSchema', () => {
  it('reads the five sizes', () => {
    const status = {
      total_size_mib: 1024,
      slot_size_mib: 128,
      block_size_mib: 2,
      plugged_size_mib: 256,
      requested_size_mib: 256,
    };
    expect(memoryHotplugStatusSchema.parse(status)).toEqual(status);
    expect(memoryHotplugStatusSchema.safeParse({ total_size_mib: 1 }).success).toBe(false);
  });
});
