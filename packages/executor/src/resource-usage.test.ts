// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readCgroupUsage } from './resource-usage.js';

let root: string;

beforeEach(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'kindling-usage-unit-'));
});

afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

// Folders holding the interface files a cgroup file system shows, as plain files.
const writeCgroup = async (name: string, files: Record<string, string>): Promise<string> => {
  const dir = path.join(root, name);
  await mkdir(dir, { recursive: true });
  for (const [file, text] of Object.entries(files)) {
    await writeFile(path.join(dir, file), text);
  }
  return dir;
};

describe('readCgroupUsage', () => {
  it('reads v2 figures: usage_usec from cpu.stat, "max" as no limit', async () => {
    const dir = await writeCgroup('unified', {
      'memory.current': '1048576\n',
      'memory.max': 'max\n',
      'memory.peak': '2097152\n',
      'cpu.stat': 'usage_usec 12345\nuser_usec 10000\nsystem_usec 2345\n',
      'pids.current': '3\n',
      'pids.max': '64\n',
    });
    expect(await readCgroupUsage([dir], 2)).toEqual({
      cgroupVersion: 2,
      dirs: [dir],
      memoryBytes: 1_048_576,
      memoryPeakBytes: 2_097_152,
      cpuUsageMicros: 12_345,
      pids: 3,
      pidsLimit: 64,
    });
  });

  it("reads v1 figures across the controllers' folders: cpuacct in ns, no limit near 2^63", async () => {
    const memory = await writeCgroup('memory', {
      'memory.usage_in_bytes': '4096\n',
      'memory.limit_in_bytes': '9223372036854771712\n',
      'memory.max_usage_in_bytes': '8192\n',
    });
    const cpu = await writeCgroup('cpu,cpuacct', { 'cpuacct.usage': '7654321\n' });
    const pids = await writeCgroup('pids', { 'pids.current': '2\n', 'pids.max': 'max\n' });
    expect(await readCgroupUsage([memory, cpu, pids], 1)).toEqual({
      cgroupVersion: 1,
      dirs: [memory, cpu, pids],
      memoryBytes: 4096,
      memoryPeakBytes: 8192,
      cpuUsageMicros: 7654,
      pids: 2,
    });
  });

  it('takes v1 CPU time from the processes in the cgroup when it has no cpuacct', async () => {
    const pids = await writeCgroup('pids', { 'cgroup.procs': `${process.pid}\n` });
    const usage = await readCgroupUsage([pids], 1);
    // This test process has run for more than one 10 ms clock tick by now.
    expect(usage.cpuUsageMicros).toBeGreaterThanOrEqual(10_000);
  });

  it('leaves out what a folder does not have, and a folder that is gone', async () => {
    expect(await readCgroupUsage([path.join(root, 'gone')], 2)).toEqual({
      cgroupVersion: 2,
      dirs: [path.join(root, 'gone')],
    });
  });
});
