// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { z } from 'zod';
import {
  addRuleIssue,
  denyUnknownFields,
  expecting,
  ignoreUnknownFields,
  u32,
  wireEnum,
} from './wire-types.js';

// `deserialize_from_str_u32/u64`: a "0x" or "0b" prefix is required; a bare decimal is refused
// ("No supported number system prefix found in value […]").
const PREFIXED_NUMBER = /^(?:0x[\dA-Fa-f]+|0b[01]+)$/u;

const prefixedNumber = (bits: 32 | 64) =>
  z
    .string(expecting(`a u${bits} written "0x…" (hex) or "0b…" (binary)`))
    .regex(PREFIXED_NUMBER, {
      error: `must be a u${bits} written "0x…" (hex) or "0b…" (binary); Firecracker refuses decimal here`,
      abort: true,
    })
    .refine((text) => BigInt(text) < 2n ** BigInt(bits), {
      error: `must fit in ${bits} bits`,
    });

// `RegisterValueFilter`'s reader: an optional "0b", then from the right at most `bits` characters
// of '0', '1' (set the bit) or 'x' (leave it), with '_' allowed between them for readability.
const findBitmapProblem = (text: string, bits: number): string | undefined => {
  const digits = text.startsWith('0b') ? text.slice(2) : text;
  let read = 0;
  for (let index = digits.length - 1; index >= 0; index -= 1) {
    if (read === bits) {
      return `has more than ${bits} bit characters (Firecracker: "string is too long")`;
    }
    const character = digits[index];
    if (character === '_') {
      continue;
    }
    if (character !== '0' && character !== '1' && character !== 'x') {
      return `may contain only "0", "1", "x" and "_" after "0b" (${JSON.stringify(character)} is none of these)`;
    }
    read += 1;
  }
  return undefined;
};

const bitmap = (bits: 32 | 64 | 128) =>
  z
    .string(expecting(`a ${bits}-bit bitmap string such as "0b01x…"`))
    .superRefine((text, context) => {
      const problem = findBitmapProblem(text, bits);
      if (problem !== undefined) {
        addRuleIssue(context, [], problem, text);
      }
    });

// `KvmCapability`: a u32 to add, or "!" and a u32 to remove.
const kvmCapabilitySchema = z
  .string(expecting('a KVM capability string such as "121" or "!121"'))
  .regex(/^!?\d+$/u, {
    error: 'must be a decimal KVM capability number, optionally prefixed by "!" to remove it',
    abort: true,
  })
  .refine((text) => BigInt(text.replace('!', '')) < 2n ** 32n, { error: 'must fit in a u32' });

/**
 * The zod schema of one register of a CPUID leaf in a custom CPU template (x86_64). Firecracker
 * ignores unknown fields here.
 */
export const cpuidRegisterModifierSchema = ignoreUnknownFields('CpuidRegisterModifier', {
  /** The CPUID output register, lower-case. */
  register: wireEnum(['eax', 'ebx', 'ecx', 'edx']),
  /** Up to 32 of `0`/`1` (clear/set) or `x` (keep), after an optional `0b`; `_` separates. */
  bitmap: bitmap(32),
});

/**
 * One CPUID register modifier of a custom CPU template.
 *
 * @interface
 */
export type CpuidRegisterModifier = z.infer<typeof cpuidRegisterModifierSchema>;

/**
 * The zod schema of a CPUID leaf modifier in a custom CPU template (x86_64). Firecracker ignores
 * unknown fields here.
 */
export const cpuidLeafModifierSchema = ignoreUnknownFields('CpuidLeafModifier', {
  /** CPUID leaf, a u32 written `0x…` or `0b…` (Firecracker refuses decimal). */
  leaf: prefixedNumber(32),
  /** CPUID subleaf, a u32 written `0x…` or `0b…`. */
  subleaf: prefixedNumber(32),
  /** KVM CPUID flags for this leaf and subleaf (u32, e.g. 1 = significant index). */
  flags: u32(),
  /** The registers to modify. */
  modifiers: z.array(cpuidRegisterModifierSchema, expecting('an array of register modifiers')),
});

/**
 * One CPUID leaf modifier of a custom CPU template.
 *
 * @interface
 */
export type CpuidLeafModifier = z.infer<typeof cpuidLeafModifierSchema>;

/**
 * The zod schema of a model-specific-register modifier in a custom CPU template (x86_64).
 * Firecracker ignores unknown fields here.
 */
export const msrModifierSchema = ignoreUnknownFields('MsrModifier', {
  /** MSR address, a u32 written `0x…` or `0b…`. */
  addr: prefixedNumber(32),
  /** Up to 64 bit characters, as in a CPUID bitmap. */
  bitmap: bitmap(64),
});

/**
 * One MSR modifier of a custom CPU template.
 *
 * @interface
 */
export type MsrModifier = z.infer<typeof msrModifierSchema>;

/**
 * The zod schema of a register modifier in a custom CPU template (aarch64). Firecracker ignores
 * unknown fields here; it also checks that the bitmap fits the register's width (32, 64 or 128
 * bits, from the address), which the schema does not know.
 */
export const armRegisterModifierSchema = ignoreUnknownFields('ArmRegisterModifier', {
  /** Register id, a u64 written `0x…` or `0b…`. */
  addr: prefixedNumber(64),
  /** Up to 128 bit characters, as in a CPUID bitmap. */
  bitmap: bitmap(128),
});

/**
 * One register modifier of an aarch64 custom CPU template.
 *
 * @interface
 */
export type ArmRegisterModifier = z.infer<typeof armRegisterModifierSchema>;

/**
 * The zod schema of a vCPU feature modifier in a custom CPU template (aarch64). Firecracker
 * ignores unknown fields here.
 */
export const vcpuFeaturesSchema = ignoreUnknownFields('VcpuFeatures', {
  /** Index in `kvm_vcpu_init.features` (u32). */
  index: u32(),
  /** Up to 32 bit characters, as in a CPUID bitmap. */
  bitmap: bitmap(32),
});

/**
 * One vCPU feature modifier of an aarch64 custom CPU template.
 *
 * @interface
 */
export type VcpuFeatures = z.infer<typeof vcpuFeaturesSchema>;

const X86_FIELDS = ['cpuid_modifiers', 'msr_modifiers'] as const;
const AARCH64_FIELDS = ['reg_modifiers', 'vcpu_features'] as const;

/**
 * The zod schema of a custom CPU template (`PUT /cpu-config`; `cpu-config` inline in a config
 * file). Its top level rejects unknown fields; its entries ignore them.
 *
 * Each Firecracker build knows one architecture's fields only: x86_64 takes `cpuid_modifiers` and
 * `msr_modifiers`, aarch64 takes `reg_modifiers` and `vcpu_features`, and each rejects the other's
 * as unknown fields. A template that mixes them fails everywhere, so the schema refuses it.
 */
export const cpuConfigSchema = denyUnknownFields('CpuConfig', {
  /** KVM capabilities to require (`"121"`) or to stop requiring (`"!121"`). */
  kvm_capabilities: z.array(kvmCapabilitySchema, expecting('an array of strings')).optional(),
  /** CPUID leaf modifiers (x86_64 only). */
  cpuid_modifiers: z.array(cpuidLeafModifierSchema, expecting('an array')).optional(),
  /** MSR modifiers (x86_64 only). */
  msr_modifiers: z.array(msrModifierSchema, expecting('an array')).optional(),
  /** Register modifiers (aarch64 only). */
  reg_modifiers: z.array(armRegisterModifierSchema, expecting('an array')).optional(),
  /** vCPU feature modifiers (aarch64 only). */
  vcpu_features: z.array(vcpuFeaturesSchema, expecting('an array')).optional(),
}).superRefine((value, context) => {
  const x86 = X86_FIELDS.filter((field) => value[field] !== undefined);
  const aarch64 = AARCH64_FIELDS.find((field) => value[field] !== undefined);
  if (x86.length > 0 && aarch64 !== undefined) {
    addRuleIssue(
      context,
      [aarch64],
      `cannot be combined with ${x86.join(' and ')}: x86_64 Firecracker rejects aarch64 fields and aarch64 Firecracker rejects x86_64 fields as unknown`,
      value[aarch64],
    );
  }
});

/**
 * A custom CPU template.
 *
 * @interface
 */
export type CpuConfig = z.infer<typeof cpuConfigSchema>;
