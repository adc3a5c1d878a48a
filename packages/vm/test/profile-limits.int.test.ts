// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile, rmdir } from 'node:fs/promises';
import path from 'node:path';
import { JailedExecutor } from '@kindling/executor';
import { testBackend } from '@kindling/fake-vmm';
import { TEST_WAIT_MS, isRoot } from '@kindling/test-utils';
import { JailerArguments, VmmArguments } from '@kindling/vmm-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Vm } from '../src/index.js';
import {
  basicConfiguration,
  createVmHarness,
  defined,
  jailed,
  type VmHarness,
} from './support/vm-harness.js';

const HOST_CGROUPS = '/sys/fs/cgroup';
const CONTROLLERS = ['memory', 'cpu', 'pids'] as const;
// A v1 host mounts one hierarchy per controller; cpu may share one with cpuacct (cpu,cpuacct).
const isV1Host = CONTROLLERS.every((controller) =>
  existsSync(path.join(HOST_CGROUPS, controller, 'tasks')),
);
const canRun = isRoot && isV1Host;
const REASON = isRoot
  ? 'needs a cgroup v1 host (memory, cpu and pids hierarchies under /sys/fs/cgroup)'
  : 'needs root, to make real cgroups';

// A parent cgroup of this run's own, so nothing else on the host is touched; removed at the end.
const parent = `kindling-test-${randomUUID().slice(0, 8)}`;
const MIB = 1024 * 1024;

let harness: VmHarness;
beforeAll(async () => {
  // The fake jailer makes real cgroups when its root is a cgroup filesystem; a real jailer
  // (KINDLING_JAILER) always does.
  harness = await createVmHarness(testBackend.kind === 'fake' ? { cgroupRoot: HOST_CGROUPS } : {});
});
afterAll(async () => {
  await harness.dispose();
  // The VMs' cgroups went at cleanup; the parents the jailer made stay (as the real jailer
  // leaves them), and go here.
  for (const controller of CONTROLLERS) {
    await rmdir(path.join(HOST_CGROUPS, controller, parent)).catch((error: unknown) => {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
        throw error;
      }
    });
  }
});

const readCgroupFile = async (dir: string, file: string): Promise<string> =>
  (await readFile(path.join(dir, file), 'utf8')).trim();

const jailedVm = async (): Promise<{ vm: Vm; id: string }> => {
  const id = harness.nextId();
  const executor = new JailedExecutor({
    vmmArguments: new VmmArguments({ enablePci: true }),
    jailerArguments: new JailerArguments({
      id,
      execFile: harness.installation.firecrackerPath,
      uid: 65_534,
      gid: 65_534,
      chrootBaseDir: path.join(harness.dir, 'jail'),
      parentCgroup: parent,
    }),
    pidFileTimeoutMs: TEST_WAIT_MS,
    ...(testBackend.kind === 'fake' ? { cgroupRoot: HOST_CGROUPS } : {}),
  });
  const vm = await harness.prepare(jailed, basicConfiguration(harness), {
    executor,
    ownership: { kind: 'downgraded', uid: 65_534, gid: 65_534 },
    profile: { limits: { memoryBytes: 256 * MIB, cpus: 0.5, pids: 64 } },
  });
  return { vm, id };
};

describe.skipIf(!canRun)(
  `a jailed VM with profile.limits on real v1 cgroups${canRun ? '' : ` (skipped: ${REASON})`}`,
  () => {
    it('runs in cgroups with the limits, reports plausible usage, and leaves none after cleanup', async () => {
      const { vm, id } = await jailedVm();
      await vm.start();
      const dirs = CONTROLLERS.map((controller) => path.join(HOST_CGROUPS, controller, parent, id));
      const [memory, cpu, pids] = dirs as [string, string, string];
      for (const dir of dirs) {
        expect(existsSync(dir), dir).toBe(true);
        expect((await readCgroupFile(dir, 'tasks')).split('\n')).toContain(String(vm.pid));
      }
      expect(await readCgroupFile(memory, 'memory.limit_in_bytes')).toBe(String(256 * MIB));
      expect(await readCgroupFile(cpu, 'cpu.cfs_period_us')).toBe('100000');
      expect(await readCgroupFile(cpu, 'cpu.cfs_quota_us')).toBe('50000');
      expect(await readCgroupFile(pids, 'pids.max')).toBe('64');

      const first = defined(await vm.getResourceUsage(), 'a reading');
      expect(first).toMatchObject({
        cgroupVersion: 1,
        memoryLimitBytes: 256 * MIB,
        pidsLimit: 64,
      });
      expect(first.memoryBytes).toBeGreaterThan(0);
      expect(first.pids).toBeGreaterThanOrEqual(1);
      expect(first.cpuUsageMicros).toBeGreaterThan(0);
      // The VM keeps working (API calls are CPU time of its process): the counter does not go back.
      for (let call = 0; call < 50; call += 1) {
        await vm.getVmConfig();
      }
      const second = defined(await vm.getResourceUsage(), 'a reading');
      expect(second.cpuUsageMicros).toBeGreaterThanOrEqual(
        defined(first.cpuUsageMicros, 'CPU time'),
      );

      await vm.shutdown([{ method: 'kill' }]);
      await vm.cleanup();
      for (const dir of dirs) {
        expect(existsSync(dir), dir).toBe(false);
      }
      expect(await vm.getResourceUsage()).toBeUndefined();
    });
  },
);
