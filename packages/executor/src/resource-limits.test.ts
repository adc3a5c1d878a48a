// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { describe, expect, it } from 'vitest';
import { ExecutorError } from './errors.js';
import { cgroupFilesForLimits, type ResourceLimits } from './resource-limits.js';

const messageOf = (limits: unknown): string => {
  try {
    cgroupFilesForLimits(limits as ResourceLimits, 2);
  } catch (error) {
    expect(error).toBeInstanceOf(ExecutorError);
    expect(error).toMatchObject({ code: 'ERR_INVALID_INPUT' });
    return (error as Error).message;
  }
  throw new Error('the limits were accepted');
};

describe('cgroupFilesForLimits', () => {
  const limits: ResourceLimits = {
    memoryBytes: 536_870_912,
    cpus: 1.5,
    cpuWeight: 50,
    pids: 64,
    cpuset: '0-1',
  };

  it('writes v1 files, the CFS period before its quota', () => {
    expect(Object.entries(cgroupFilesForLimits(limits, 1))).toEqual([
      ['memory.limit_in_bytes', '536870912'],
      ['cpu.cfs_period_us', '100000'],
      ['cpu.cfs_quota_us', '150000'],
      ['cpu.shares', '512'],
      ['pids.max', '64'],
      ['cpuset.cpus', '0-1'],
    ]);
  });

  it('writes v2 files', () => {
    expect(Object.entries(cgroupFilesForLimits(limits, 2))).toEqual([
      ['memory.max', '536870912'],
      ['cpu.max', '150000 100000'],
      ['cpu.weight', '50'],
      ['pids.max', '64'],
      ['cpuset.cpus', '0-1'],
    ]);
  });

  it('writes nothing for no limits, and only the limits given', () => {
    expect(cgroupFilesForLimits({}, 1)).toEqual({});
    expect(cgroupFilesForLimits({ cpus: 0.01 }, 2)).toEqual({ 'cpu.max': '1000 100000' });
  });

  it.each([
    [1, 10],
    [100, 1024],
    [10_000, 102_400],
  ])(
    'maps cpuWeight %i to cpu.shares %i as systemd does (weight 100 is shares 1024)',
    (weight, shares) => {
      expect(cgroupFilesForLimits({ cpuWeight: weight }, 1)).toEqual({
        'cpu.shares': String(shares),
      });
    },
  );

  it.each([
    [{ memoryBytes: 0 }, 'limits.memoryBytes: expected a positive integer, got 0'],
    [{ memoryBytes: 1.5 }, 'limits.memoryBytes: expected a positive integer, got 1.5'],
    [{ cpus: 0.001 }, 'limits.cpus: expected a number of CPUs of at least 0.01, got 0.001'],
    [{ cpus: '2' }, 'limits.cpus: expected a number of CPUs of at least 0.01, got "2"'],
    [{ cpuWeight: 10_001 }, 'limits.cpuWeight: expected an integer from 1 to 10000, got 10001'],
    [{ pids: -1 }, 'limits.pids: expected a positive integer, got -1'],
    [
      { cpuset: '0-1;rm' },
      'limits.cpuset: expected a cpuset list such as "0-1" or "0,2", got "0-1;rm"',
    ],
  ])('refuses %o, naming the field, the rule and the value', (bad, message) => {
    expect(messageOf(bad)).toContain(message);
  });

  it('refuses an unknown limit, naming the one it most likely meant', () => {
    expect(messageOf({ memoryByte: 1 })).toMatch(/limits.*memoryByte.*memoryBytes/u);
  });
});
