// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { applyCgroups, fakeCgroupFile, planCgroups } from './cgroups.js';

let root: string;

beforeEach(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'kindling-cgroups-test-'));
});

afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

const plan = (version: number, args?: readonly string[], parentCgroup = 'firecracker') =>
  planCgroups({ root, version, args, id: 'vm1', parentCgroup });

describe('planCgroups', () => {
  it('plans nothing for v1 without --cgroup', () => {
    expect(plan(1)).toBeUndefined();
  });

  it('places v1 cgroups per controller and v2 cgroups in the unified root', () => {
    const v1 = plan(1, ['cpu.shares=10', 'memory.limit_in_bytes=1', 'cpu.cfs_quota_us=5']);
    expect(v1?.groups).toEqual([
      {
        controller: 'cpu',
        location: path.join(root, 'cpu', 'firecracker', 'vm1'),
        properties: [
          { file: 'cpu.shares', value: '10' },
          { file: 'cpu.cfs_quota_us', value: '5' },
        ],
      },
      {
        controller: 'memory',
        location: path.join(root, 'memory', 'firecracker', 'vm1'),
        properties: [{ file: 'memory.limit_in_bytes', value: '1' }],
      },
    ]);
    const v2 = plan(2, ['cpu.max=10000 100000', 'memory.max=1'], 'a/b');
    expect(v2?.groups).toHaveLength(1);
    expect(v2?.groups[0]?.location).toBe(path.join(root, 'a', 'b', 'vm1'));
  });

  it('rejects malformed values with the jailer messages', () => {
    expect(() => plan(1, ['cpu.shares'])).toThrow('Invalid format for cgroups: cpu.shares');
    expect(() => plan(1, ['cpu.shares='])).toThrow('Invalid format for cgroups: cpu.shares=');
    expect(() => plan(1, ['a=b=c'])).toThrow('Invalid format for cgroups: a=b=c');
    expect(() => plan(1, ['../cpu.shares=1'])).toThrow('Cgroup invalid file: ../cpu.shares=1');
    expect(() => plan(1, ['cpushares=1'])).toThrow('Cgroup invalid file: cpushares');
    expect(() => plan(1, ['bogus.x=1'])).toThrow('Controller bogus is unavailable');
    expect(() => plan(3, ['cpu.shares=1'])).toThrow(
      'Hierarchy not found: No hierarchy found for this cgroup version.',
    );
  });

  it('takes the v2 controllers from cgroup.controllers when the root has one', async () => {
    await writeFile(path.join(root, 'cgroup.controllers'), 'cpu memory\n');
    expect(() => plan(2, ['io.max=1'])).toThrow('Controller io is unavailable');
    expect(plan(2, ['memory.max=1'])?.groups).toHaveLength(1);
  });

  it('moves into an existing v2 parent when there is no --cgroup', async () => {
    expect(plan(2)?.moveInto).toBeUndefined();
    await mkdir(path.join(root, 'firecracker'));
    const moving = plan(2);
    expect(moving?.moveInto).toBe(path.join(root, 'firecracker'));
    await applyCgroups(moving!, 4242);
    expect(await readFile(path.join(root, 'firecracker', 'cgroup.procs'), 'utf8')).toBe('4242\n');
  });
});

describe('applyCgroups', () => {
  it('writes v1 values, inherits from a populated parent, then lists the pid in tasks', async () => {
    const v1 = plan(1, ['cpuset.cpus=0-1', 'cpuset.mems=0']);
    await mkdir(path.join(root, 'cpuset', 'firecracker'), { recursive: true });
    await writeFile(path.join(root, 'cpuset', 'firecracker', 'cpuset.mems'), '0-3\n');
    await applyCgroups(v1!, 1234);
    const group = path.join(root, 'cpuset', 'firecracker', 'vm1');
    expect(await readFile(fakeCgroupFile(root, group, 'cpuset.cpus'), 'utf8')).toBe('0-1\n');
    expect(await readFile(fakeCgroupFile(root, group, 'cpuset.mems'), 'utf8')).toBe('0\n');
    expect(await readFile(fakeCgroupFile(root, group, 'tasks'), 'utf8')).toBe('1234\n');
  });

  it('enables each v2 controller in every ancestor and lists the pid in cgroup.procs', async () => {
    const v2 = plan(2, ['cpu.max=max', 'memory.max=1048576', 'cpu.weight=50'], 'parent');
    await applyCgroups(v2!, 99);
    const group = path.join(root, 'parent', 'vm1');
    expect(await readFile(fakeCgroupFile(root, group, 'cpu.max'), 'utf8')).toBe('max\n');
    expect(await readFile(fakeCgroupFile(root, group, 'cpu.weight'), 'utf8')).toBe('50\n');
    expect(await readFile(fakeCgroupFile(root, group, 'memory.max'), 'utf8')).toBe('1048576\n');
    expect(await readFile(fakeCgroupFile(root, group, 'cgroup.procs'), 'utf8')).toBe('99\n');
    for (const dir of [root, path.join(root, 'parent')]) {
      expect(await readFile(path.join(dir, 'cgroup.subtree_control'), 'utf8')).toBe('cpu memory\n');
    }
  });
});
