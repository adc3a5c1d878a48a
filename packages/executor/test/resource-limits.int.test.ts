// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import path from 'node:path';
import { FAKE_CGROUP_FILES_DIR, testBackend } from '@kindling/fake-vmm';
import { TEST_WAIT_MS } from '@kindling/test-utils';
import { JailerArguments, VmmArguments, parseVmmId } from '@kindling/vmm-core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  JailedExecutor,
  detectCgroupVersion,
  type CgroupVersion,
  type JailedExecutorOptions,
  type ResourceLimits,
} from '../src/index.js';
import {
  createHarness,
  isRoot,
  jailOwner,
  jailOwnership,
  waitForSocket,
  type Harness,
} from './support/harness.js';
import {
  HOST_CGROUP_ROOT,
  createHostCgroupParent,
  readCgroupValue,
  requireUsage,
  waitForCpuGrowth,
} from './support/host-cgroups.js';

let harness: Harness;

beforeEach(async () => {
  harness = await createHarness();
});

afterEach(async () => {
  await harness.dispose();
});

const limits: ResourceLimits = { memoryBytes: 536_870_912, cpus: 0.5, pids: 64 };
// On the host, also pinned to CPU 0: under v1 a cpuset needs memory nodes too, taken from the root.
const hostLimits: ResourceLimits = { ...limits, cpuset: '0' };

const createExecutor = (
  options: Partial<JailedExecutorOptions> & { parentCgroup?: string; daemonize?: boolean },
) => {
  const { parentCgroup, daemonize, ...rest } = options;
  return new JailedExecutor({
    vmmArguments: new VmmArguments(),
    jailerArguments: new JailerArguments({
      id: parseVmmId('vm-limited'),
      execFile: harness.installation.firecrackerPath,
      ...jailOwner,
      chrootBaseDir: path.join(harness.dir, 'jails'),
      ...(parentCgroup === undefined ? {} : { parentCgroup }),
      ...(daemonize === true ? { daemonize } : {}),
    }),
    limits,
    ...rest,
  });
};

// A few API requests, to make the VMM use some CPU time.
const callApi = async (socketPath: string, times = 20): Promise<void> => {
  for (let index = 0; index < times; index += 1) {
    await new Promise<void>((resolve, reject) => {
      const call = request({ socketPath, path: '/', method: 'GET' }, (response) => {
        response.resume();
        response.on('end', resolve);
      });
      call.on('error', reject);
      call.end();
    });
  }
};

/** What the limits become on a host of each cgroup version: hierarchies, then files per folder. */
interface HostCase {
  readonly hierarchies: readonly string[];
  readonly files: readonly (readonly [hierarchy: number, file: string, value: string])[];
}

const hostCases: Record<CgroupVersion, () => HostCase> = {
  1: () => ({
    hierarchies: ['memory', 'cpu', 'pids', 'cpuset'].map((name) =>
      path.join(HOST_CGROUP_ROOT, name),
    ),
    files: [
      [0, 'memory.limit_in_bytes', '536870912'],
      [1, 'cpu.cfs_period_us', '100000'],
      [1, 'cpu.cfs_quota_us', '50000'],
      [2, 'pids.max', '64'],
      [3, 'cpuset.cpus', '0'],
      [3, 'cpuset.mems', readCgroupValue(path.join(HOST_CGROUP_ROOT, 'cpuset'), 'cpuset.mems')],
    ],
  }),
  2: () => ({
    hierarchies: [HOST_CGROUP_ROOT],
    files: [
      [0, 'memory.max', '536870912'],
      [0, 'cpu.max', '50000 100000'],
      [0, 'pids.max', '64'],
      [0, 'cpuset.cpus', '0'],
    ],
  }),
};
const hostVersion = detectCgroupVersion() ?? 1;
// The fake jailer makes real cgroups when its root is the host's cgroup file system; a real
// jailer finds the host's mounts itself.
const hostRoot = testBackend.kind === 'fake' ? { cgroupRoot: HOST_CGROUP_ROOT } : {};
const realJailerMissing = testBackend.kind === 'real' && testBackend.jailerPath === undefined;

describe.skipIf(!isRoot || realJailerMissing)(
  'JailedExecutor limits on the host cgroups (needs root, and KINDLING_JAILER against a real Firecracker)',
  () => {
    // Attached, the jailer becomes Firecracker; daemonized, a detached child joins its cgroups.
    it.each([{ daemonize: false }, { daemonize: true }])(
      `makes the VM's cgroups (v${hostVersion}) with the limits and its pid, reads their usage, and removes them (daemonize: $daemonize)`,
      async ({ daemonize }) => {
        // This test's own harness: the fake jailer is told the host's root too.
        await harness.dispose();
        harness = await createHarness(hostRoot);
        const hostCase = hostCases[hostVersion]();
        using parent = createHostCgroupParent('kindling-limits-test', hostCase.hierarchies);
        const context = harness.createContext(jailOwnership);
        const executor = createExecutor({
          ...hostRoot,
          parentCgroup: parent.parentCgroup,
          limits: hostLimits,
          daemonize,
          pidFileTimeoutMs: TEST_WAIT_MS,
        });
        const dirs = hostCase.hierarchies.map((hierarchy) =>
          path.join(hierarchy, parent.parentCgroup, 'vm-limited'),
        );
        expect(executor.listCgroupDirs()).toEqual(dirs);
        await executor.prepare(context);
        const handle = harness.track(await executor.invoke(context));
        const socketPath = String(executor.getSocketPath());
        await waitForSocket(socketPath);

        const written = hostCase.files.map(([index, file]) => [
          index,
          file,
          readCgroupValue(dirs[index] as string, file),
        ]);
        expect(written).toEqual(hostCase.files);
        const members = await Promise.all(
          dirs.map(async (dir) =>
            (await readFile(path.join(dir, 'cgroup.procs'), 'utf8')).split('\n'),
          ),
        );
        expect(members.map((pids) => pids.includes(String(handle.pid)))).toEqual(
          dirs.map(() => true),
        );

        const first = await requireUsage(executor.readResourceUsage(context));
        expect(first).toMatchObject({
          cgroupVersion: hostVersion,
          dirs,
          memoryBytes: expect.any(Number),
          memoryLimitBytes: 536_870_912,
          cpuUsageMicros: expect.any(Number),
          pids: expect.any(Number),
          pidsLimit: 64,
        });
        expect(first.memoryBytes).toBeGreaterThan(0);
        expect(first.pids).toBeGreaterThan(0);
        const later = await waitForCpuGrowth(
          () => executor.readResourceUsage(context),
          first,
          () => callApi(socketPath),
        );
        expect(later.cpuUsageMicros).toBeGreaterThan(first.cpuUsageMicros as number);

        expect(handle.kill('SIGKILL')).toBe(true);
        await handle.wait();
        await executor.cleanup(context);
        expect(dirs.filter((dir) => existsSync(dir))).toEqual([]);
      },
    );
  },
);

describe.skipIf(testBackend.kind === 'real')(
  'JailedExecutor limits on a stand-in v2 root (fake jailer only: a real one writes the host)',
  () => {
    it('detects v2 from the root, passes --cgroup-version 2 and the v2 files, and the fake writes them', async () => {
      const cgroupRoot = path.join(harness.dir, 'cgroup');
      await mkdir(cgroupRoot, { recursive: true });
      await writeFile(path.join(cgroupRoot, 'cgroup.controllers'), 'cpuset cpu io memory pids\n');
      const context = harness.createContext(jailOwnership);
      const executor = createExecutor({ cgroupRoot, limits: { ...limits, cpuWeight: 200 } });
      const args = executor.options.jailerArguments.toArgs();
      expect(args.slice(args.indexOf('--cgroup'))).toEqual([
        '--cgroup',
        'memory.max=536870912',
        '--cgroup',
        'cpu.max=50000 100000',
        '--cgroup',
        'cpu.weight=200',
        '--cgroup',
        'pids.max=64',
        '--cgroup-version',
        '2',
      ]);
      await executor.prepare(context);
      const handle = harness.track(await executor.invoke(context));
      await waitForSocket(String(executor.getSocketPath()));
      const files = path.join(cgroupRoot, FAKE_CGROUP_FILES_DIR, 'firecracker', 'vm-limited');
      expect(await readFile(path.join(files, 'memory.max'), 'utf8')).toBe('536870912\n');
      expect(await readFile(path.join(files, 'cpu.max'), 'utf8')).toBe('50000 100000\n');
      expect(await readFile(path.join(files, 'cgroup.procs'), 'utf8')).toBe(`${handle.pid}\n`);
      // A stand-in folder has no interface files for the reader: the usage names its folder only.
      expect(await executor.readResourceUsage(context)).toEqual({
        cgroupVersion: 2,
        dirs: [path.join(cgroupRoot, 'firecracker', 'vm-limited')],
      });
      handle.kill('SIGKILL');
      await handle.wait();
      await executor.cleanup(context);
      expect(existsSync(path.join(cgroupRoot, 'firecracker', 'vm-limited'))).toBe(false);
    });
  },
);
