// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { describe, expect, it } from 'vitest';
import { VmmCoreError } from '../errors.js';
import { parseWithSchema } from '../validation.js';
import { machineConfigurationSchema, partialMachineConfigurationSchema } from './machine-config.js';

const messageOf = (value: unknown): string => {
  try {
    parseWithSchema(machineConfigurationSchema, value, 'machineConfig');
  } catch (error) {
    if (error instanceof VmmCoreError) {
      return error.message;
    }
    throw error;
  }
  throw new Error(`expected ${JSON.stringify(value)} to be rejected`);
};

const accepts = (value: unknown): boolean => machineConfigurationSchema.safeParse(value).success;

describe('machineConfigurationSchema', () => {
  it('accepts the required fields alone and returns them without filling defaults', () => {
    expect(machineConfigurationSchema.parse({ vcpu_count: 2, mem_size_mib: 1024 })).toEqual({
      vcpu_count: 2,
      mem_size_mib: 1024,
    });
  });

  it('accepts every optional field', () => {
    const config = {
      vcpu_count: 2,
      mem_size_mib: 1024,
      smt: true,
      cpu_template: 'T2S',
      track_dirty_pages: true,
      huge_pages: '2M',
    };
    expect(machineConfigurationSchema.parse(config)).toEqual(config);
  });

  it.each([
    [1, true],
    [32, true],
    [0, false],
    [33, false],
  ])('vcpu_count %i is accepted: %s (range 1-32)', (vcpuCount, ok) => {
    expect(accepts({ vcpu_count: vcpuCount, mem_size_mib: 128 })).toBe(ok);
  });

  it('names the field, the value and the rule for a vCPU count out of range', () => {
    expect(messageOf({ vcpu_count: 33, mem_size_mib: 128 })).toBe(
      'machineConfig.vcpu_count: expected an integer from 1 to 32 (Firecracker allows 1 to 32 vCPUs), got 33',
    );
  });

  it.each([
    [1, true],
    [2, true],
    [32, true],
    [3, false],
    [31, false],
  ])('with smt, vcpu_count %i is accepted: %s (1 or even)', (vcpuCount, ok) => {
    expect(accepts({ vcpu_count: vcpuCount, mem_size_mib: 128, smt: true })).toBe(ok);
  });

  it('allows an odd vcpu_count without smt', () => {
    expect(accepts({ vcpu_count: 3, mem_size_mib: 128, smt: false })).toBe(true);
    expect(accepts({ vcpu_count: 3, mem_size_mib: 128 })).toBe(true);
  });

  it('explains the SMT rule on vcpu_count', () => {
    expect(messageOf({ vcpu_count: 3, mem_size_mib: 128, smt: true })).toMatch(
      /^machineConfig\.vcpu_count: must be 1 or an even number when smt is true .*, got 3$/u,
    );
  });

  it('rejects mem_size_mib 0 and accepts 1 and a large size (no upper bound)', () => {
    expect(accepts({ vcpu_count: 1, mem_size_mib: 1 })).toBe(true);
    expect(accepts({ vcpu_count: 1, mem_size_mib: 1_048_576 })).toBe(true);
    expect(messageOf({ vcpu_count: 1, mem_size_mib: 0 })).toMatch(
      /^machineConfig\.mem_size_mib: must be at least 1 .*, got 0$/u,
    );
  });

  it('requires an even mem_size_mib with 2M huge pages only', () => {
    expect(accepts({ vcpu_count: 1, mem_size_mib: 128, huge_pages: '2M' })).toBe(true);
    expect(accepts({ vcpu_count: 1, mem_size_mib: 129, huge_pages: 'None' })).toBe(true);
    expect(messageOf({ vcpu_count: 1, mem_size_mib: 129, huge_pages: '2M' })).toMatch(
      /^machineConfig\.mem_size_mib: must be a multiple of 2 when huge_pages is "2M" .*, got 129$/u,
    );
  });

  it('accepts the huge_pages values, Transparent being newer than v1.16.1', () => {
    for (const hugePages of ['None', '2M', 'Transparent']) {
      expect(accepts({ vcpu_count: 1, mem_size_mib: 128, huge_pages: hugePages })).toBe(true);
    }
    expect(messageOf({ vcpu_count: 1, mem_size_mib: 128, huge_pages: '1G' })).toBe(
      'machineConfig.huge_pages: expected one of "None", "2M", "Transparent", got "1G"',
    );
  });

  it('accepts every static CPU template and rejects other names, case-sensitively', () => {
    for (const template of ['C3', 'T2', 'T2S', 'T2CL', 'T2A', 'V1N1', 'None']) {
      expect(accepts({ vcpu_count: 1, mem_size_mib: 128, cpu_template: template })).toBe(true);
    }
    expect(accepts({ vcpu_count: 1, mem_size_mib: 128, cpu_template: 't2' })).toBe(false);
  });

  it('accepts cpu_template null (an Option) but not smt null (a defaulted bool)', () => {
    expect(accepts({ vcpu_count: 1, mem_size_mib: 128, cpu_template: null })).toBe(true);
    expect(accepts({ vcpu_count: 1, mem_size_mib: 128, smt: null })).toBe(false);
  });

  it('requires vcpu_count and mem_size_mib', () => {
    expect(messageOf({ mem_size_mib: 128 })).toBe(
      'machineConfig.vcpu_count: is required: expected an integer from 1 to 32 (Firecracker allows 1 to 32 vCPUs), got nothing',
    );
    expect(accepts({ vcpu_count: 1 })).toBe(false);
  });

  it('rejects an unknown field, naming it', () => {
    expect(messageOf({ vcpu_count: 1, mem_size_mib: 128, memory: 1 })).toMatch(
      /^machineConfig: unknown field "memory": Firecracker rejects unknown fields in MachineConfiguration; remove them, got \{/u,
    );
  });
});

describe('partialMachineConfigurationSchema', () => {
  it('accepts any non-empty subset', () => {
    expect(partialMachineConfigurationSchema.parse({ mem_size_mib: 256 })).toEqual({
      mem_size_mib: 256,
    });
    expect(partialMachineConfigurationSchema.safeParse({ smt: false }).success).toBe(true);
  });

  it('rejects an empty body, and one whose fields are all null, as "Empty PATCH request."', () => {
    for (const body of [{}, { vcpu_count: null }]) {
      const result = partialMachineConfigurationSchema.safeParse(body);
      expect(result.error?.issues[0]?.message).toContain('Empty PATCH request.');
    }
  });

  it('checks ranges and the rules whose fields the body carries', () => {
    expect(partialMachineConfigurationSchema.safeParse({ vcpu_count: 0 }).success).toBe(false);
    expect(partialMachineConfigurationSchema.safeParse({ vcpu_count: 33 }).success).toBe(false);
    expect(partialMachineConfigurationSchema.safeParse({ smt: true, vcpu_count: 5 }).success).toBe(
      false,
    );
    expect(
      partialMachineConfigurationSchema.safeParse({ huge_pages: '2M', mem_size_mib: 3 }).success,
    ).toBe(false);
    // SMT may come from the current configuration, which the body does not show.
    expect(partialMachineConfigurationSchema.safeParse({ vcpu_count: 5 }).success).toBe(true);
  });

  it('rejects an unknown field', () => {
    expect(partialMachineConfigurationSchema.safeParse({ vcpus: 2 }).success).toBe(false);
  });
});
