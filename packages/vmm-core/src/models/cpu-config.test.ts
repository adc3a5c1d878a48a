// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { describe, expect, it } from 'vitest';
import { cpuConfigSchema } from './cpu-config.js';

const x86Template = {
  kvm_capabilities: ['121', '!56'],
  cpuid_modifiers: [
    {
      leaf: '0x80000001',
      subleaf: '0b000111',
      flags: 0,
      modifiers: [{ register: 'ecx', bitmap: '0bx00100xxx1xxxxxxxxxxxxxxxxxxxxx1' }],
    },
  ],
  msr_modifiers: [{ addr: '0x10a', bitmap: `0b${'x'.repeat(63)}1` }],
};

const armTemplate = {
  kvm_capabilities: ['1', '!2'],
  vcpu_features: [{ index: 0, bitmap: '0b1100000' }],
  reg_modifiers: [{ addr: '0x0030000000000000', bitmap: '0bx00100x0x1xxxx01xxx1xxxxxxxxxxx1' }],
};

const withAddr = (addr: string) => ({ reg_modifiers: [{ addr, bitmap: '0b1' }] });
const msr = (bits: number) => ({
  msr_modifiers: [{ addr: '0x1', bitmap: `0b${'x'.repeat(bits)}` }],
});
const reg = (bits: number) => ({
  reg_modifiers: [{ addr: '0x1', bitmap: `0b${'0'.repeat(bits)}` }],
});
const withRegister = (register: string) => ({
  cpuid_modifiers: [
    { leaf: '0x1', subleaf: '0x0', flags: 0, modifiers: [{ register, bitmap: '0b1' }] },
  ],
});

const firstIssue = (value: unknown) => cpuConfigSchema.safeParse(value).error?.issues[0];

describe('cpuConfigSchema', () => {
  it('accepts an x86_64 template, an aarch64 template and an empty one', () => {
    expect(cpuConfigSchema.parse(x86Template)).toEqual(x86Template);
    expect(cpuConfigSchema.parse(armTemplate)).toEqual(armTemplate);
    expect(cpuConfigSchema.parse({})).toEqual({});
  });

  it('rejects a template mixing x86_64 and aarch64 fields, which no Firecracker build accepts', () => {
    const issue = firstIssue({ ...x86Template, vcpu_features: armTemplate.vcpu_features });
    expect(issue?.path).toEqual(['vcpu_features']);
    expect(issue?.message).toContain('cannot be combined with cpuid_modifiers and msr_modifiers');
  });

  it('rejects an unknown top-level field, as CustomCpuTemplate denies unknown fields', () => {
    expect(firstIssue({ kvm_capabilities: [], cpuid: [] })?.code).toBe('unrecognized_keys');
  });

  it('drops unknown fields inside entries, which Firecracker ignores', () => {
    const parsed = cpuConfigSchema.parse({
      msr_modifiers: [{ addr: '0x10a', bitmap: '0b1', note: 'x' }],
    });
    expect(parsed.msr_modifiers).toEqual([{ addr: '0x10a', bitmap: '0b1' }]);
  });

  it.each([
    ['hex', '0x1F', true],
    ['binary', '0b101', true],
    ['the largest u32', '0xffffffff', true],
    ['a u32 overflow', '0x100000000', false],
    ['decimal, which deserialize_from_str_u32 refuses', '10', false],
    ['an empty hex number', '0x', false],
    ['a non-hex digit', '0xg1', false],
  ])('reads a CPUID leaf written in %s: accepted %s', (_name, leaf, ok) => {
    const template = {
      cpuid_modifiers: [{ leaf, subleaf: '0x0', flags: 0, modifiers: [] }],
    };
    expect(cpuConfigSchema.safeParse(template).success).toBe(ok);
  });

  it('reads an aarch64 register address as a u64', () => {
    expect(cpuConfigSchema.safeParse(withAddr('0xffffffffffffffff')).success).toBe(true);
    expect(cpuConfigSchema.safeParse(withAddr('0x10000000000000000')).success).toBe(false);
  });

  it.each([
    ['32 bit characters', `0b${'1'.repeat(32)}`, true],
    ['32 bit characters without the 0b prefix', '1'.repeat(32), true],
    ['fewer than 32 characters', '0b1x0', true],
    ['underscores between bits', `0b${'1010_'.repeat(6)}10`, true],
    ['33 bit characters', `0b${'1'.repeat(33)}`, false],
    ['an underscore beyond the 32nd bit', `0b_${'1'.repeat(32)}`, false],
    ['a character other than 0, 1, x or _', '0b10?1', false],
    ['an upper-case X', '0b10X1', false],
  ])('reads a 32-bit CPUID bitmap with %s: accepted %s', (_name, bitmap, ok) => {
    const template = {
      cpuid_modifiers: [
        { leaf: '0x1', subleaf: '0x0', flags: 1, modifiers: [{ register: 'eax', bitmap }] },
      ],
    };
    expect(cpuConfigSchema.safeParse(template).success).toBe(ok);
  });

  it('allows 64 bit characters in an MSR bitmap and 128 in an aarch64 register bitmap', () => {
    expect(cpuConfigSchema.safeParse(msr(64)).success).toBe(true);
    expect(cpuConfigSchema.safeParse(msr(65)).success).toBe(false);
    expect(cpuConfigSchema.safeParse(reg(128)).success).toBe(true);
    expect(cpuConfigSchema.safeParse(reg(129)).success).toBe(false);
  });

  it('accepts only the lower-case CPUID register names', () => {
    for (const register of ['eax', 'ebx', 'ecx', 'edx']) {
      expect(cpuConfigSchema.safeParse(withRegister(register)).success).toBe(true);
    }
    expect(cpuConfigSchema.safeParse(withRegister('EAX')).success).toBe(false);
    expect(cpuConfigSchema.safeParse(withRegister('ekx')).success).toBe(false);
  });

  it.each([
    ['"121"', '121', true],
    ['"!121"', '!121', true],
    ['the largest u32', '4294967295', true],
    ['a u32 overflow', '4294967296', false],
    ['a letter', '!a2', false],
    ['a number instead of a string', 121, false],
  ])('reads the KVM capability %s: accepted %s', (_name, capability, ok) => {
    expect(cpuConfigSchema.safeParse({ kvm_capabilities: [capability] }).success).toBe(ok);
  });

  it('requires every field of a CPUID leaf modifier', () => {
    const issue = firstIssue({ cpuid_modifiers: [{ leaf: '0x1', subleaf: '0x0', modifiers: [] }] });
    expect(issue?.path).toEqual(['cpuid_modifiers', 0, 'flags']);
  });

  it('rejects a negative vCPU feature index', () => {
    expect(
      cpuConfigSchema.safeParse({ vcpu_features: [{ index: -1, bitmap: '0b1' }] }).success,
    ).toBe(false);
  });
});
