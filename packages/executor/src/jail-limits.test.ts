// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  JailerArguments,
  VmmArguments,
  parseVmmId,
  type JailerArgumentsOptions,
} from '@kindling/vmm-core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { detectCgroupVersion } from './cgroup-version.js';
import { ExecutorError } from './errors.js';
import { JailedExecutor } from './jailed-executor.js';
import type { JailedExecutorOptions } from './jailed-executor-options.js';
import { UnrestrictedExecutor } from './unrestricted-executor.js';

let root: string;

beforeEach(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'kindling-limits-unit-'));
});

afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

const createExecutor = (
  jailer: Partial<JailerArgumentsOptions>,
  options: Partial<JailedExecutorOptions>,
) =>
  new JailedExecutor({
    vmmArguments: new VmmArguments(),
    jailerArguments: new JailerArguments({
      id: parseVmmId('vm-limits'),
      execFile: '/usr/bin/firecracker',
      uid: 1000,
      gid: 1000,
      ...jailer,
    }),
    ...options,
  });

const refusalOf = (make: () => unknown): string => {
  try {
    make();
  } catch (error) {
    expect(error).toBeInstanceOf(ExecutorError);
    expect(error).toMatchObject({ code: 'ERR_INVALID_INPUT' });
    return (error as Error).message;
  }
  throw new Error('it was accepted');
};

// The version this host does not have: its controllers are not there to limit.
const otherVersion = detectCgroupVersion() === 2 ? 1 : 2;

describe('JailedExecutor limits', () => {
  it('detects a stand-in root: v1 (the jailer default) without cgroup.controllers, v2 with it', async () => {
    expect(detectCgroupVersion(root)).toBe(1);
    await writeFile(path.join(root, 'cgroup.controllers'), 'cpu memory pids\n');
    expect(detectCgroupVersion(root)).toBe(2);
  });

  it('adds the limits to --cgroup and sets --cgroup-version, keeping the own cgroups', () => {
    const executor = createExecutor(
      { cgroups: { 'cpu.shares': '10' } },
      { cgroupRoot: root, limits: { memoryBytes: 1_048_576, pids: 8 } },
    );
    expect(executor.options.jailerArguments.options).toMatchObject({
      cgroupVersion: 1,
      cgroups: { 'cpu.shares': '10', 'memory.limit_in_bytes': '1048576', 'pids.max': '8' },
    });
    expect(executor.listCgroupDirs()).toEqual(
      ['cpu', 'memory', 'pids'].map((name) => path.join(root, name, 'firecracker', 'vm-limits')),
    );
  });

  it('refuses a limit that sets a file the own cgroups set, naming both', () => {
    expect(
      refusalOf(() =>
        createExecutor(
          { cgroupVersion: 2, cgroups: { 'memory.max': '4096' } },
          { cgroupRoot: root, limits: { memoryBytes: 8192 } },
        ),
      ),
    ).toBe(
      'limits.memoryBytes: sets cgroup file memory.max to "8192", which jailerArguments.cgroups also sets ("4096"): set it in one place only',
    );
  });

  it('refuses a limit whose controller this host has no hierarchy for, before anything starts', () => {
    expect(
      refusalOf(() =>
        createExecutor({ cgroupVersion: otherVersion }, { limits: { memoryBytes: 8192 } }),
      ),
    ).toMatch(
      new RegExp(
        `^limits\\.memoryBytes: this host has no cgroup v${otherVersion} hierarchy with the memory controller \\(looked in /proc/self/mounts.*\\): enable the controller, set jailerArguments\\.cgroupVersion to the host's version, or drop the limit$`,
        'u',
      ),
    );
  });

  it.skipIf(!existsSync('/sys/fs/cgroup'))(
    'refuses, with the host cgroup root as cgroupRoot, a controller the host does not mount (needs /sys/fs/cgroup)',
    () => {
      expect(
        refusalOf(() =>
          createExecutor(
            { cgroupVersion: otherVersion },
            { cgroupRoot: '/sys/fs/cgroup', limits: { pids: 8 } },
          ),
        ),
      ).toMatch(
        /^limits\.pids: this host has no cgroup v\d hierarchy with the pids controller \(looked in cgroupRoot \/sys\/fs\/cgroup/u,
      );
    },
  );

  it("passes a v1 cpuset the root's memory nodes, unless the own cgroups set them", async () => {
    await mkdir(path.join(root, 'cpuset'));
    await writeFile(path.join(root, 'cpuset', 'cpuset.mems'), '0-1\n');
    const cpuset = { cgroupRoot: root, limits: { cpuset: '1' } };
    expect(createExecutor({}, cpuset).options.jailerArguments.options.cgroups).toEqual({
      'cpuset.cpus': '1',
      'cpuset.mems': '0-1',
    });
    expect(
      createExecutor({ cgroups: { 'cpuset.mems': '0' } }, cpuset).options.jailerArguments.options
        .cgroups,
    ).toEqual({ 'cpuset.mems': '0', 'cpuset.cpus': '1' });
  });

  it('makes a copy with limits merged over its own, leaving the original as it was', () => {
    const original = createExecutor({}, { cgroupRoot: root, limits: { pids: 8 } });
    const copy = original
      .withResourceLimits({ memoryBytes: 4096 })
      .withResourceLimits({ pids: 16 });
    expect(copy.options.jailerArguments.options.cgroups).toEqual({
      'memory.limit_in_bytes': '4096',
      'pids.max': '16',
    });
    expect(original.options.jailerArguments.options.cgroups).toEqual({ 'pids.max': '8' });
    expect(copy.options.cgroupRoot).toBe(root);
  });

  it('reads no usage when the jailer makes no cgroup', async () => {
    expect(await createExecutor({}, {}).readResourceUsage()).toBeUndefined();
  });

  it('has no withResourceLimits on UnrestrictedExecutor: limits need the jailer', () => {
    const executor = new UnrestrictedExecutor({ vmmArguments: new VmmArguments() });
    expect('withResourceLimits' in executor).toBe(false);
    expect('readResourceUsage' in executor).toBe(false);
  });
});
