// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { existsSync, readFileSync, rmdirSync } from 'node:fs';
import path from 'node:path';
import { pollUntil } from '@kindling/helpers';
import { TEST_WAIT_MS } from '@kindling/test-utils';
import type { ResourceUsage } from '../../src/index.js';

/** Where a cgroup hierarchy of the host is mounted, by controller (v1) or `unified` (v2). */
export const HOST_CGROUP_ROOT = '/sys/fs/cgroup';

/**
 * The `--parent-cgroup` of a test VM on the host's hierarchies, and a way to remove the folders
 * the jailer made for it (never one that was there before). Not the jailer's default
 * (`firecracker`), which other VMs of the host may share.
 */
export interface HostCgroupParent extends Disposable {
  readonly parentCgroup: string;
}

/** Makes a parent for the given hierarchies (full paths); disposing removes what was not there. */
export const createHostCgroupParent = (
  name: string,
  hierarchies: readonly string[],
): HostCgroupParent => {
  const made = hierarchies
    .map((hierarchy) => path.join(hierarchy, name))
    .filter((dir) => !existsSync(dir));
  return {
    parentCgroup: name,
    [Symbol.dispose]() {
      // A VM's cgroup still in it (a failed test) is the executor's to remove: rmdir then fails.
      for (const dir of made) {
        rmdirSync(dir);
      }
    },
  };
};

/** The first line of a cgroup file. */
export const readCgroupValue = (dir: string, file: string): string =>
  (readFileSync(path.join(dir, file), 'utf8').split('\n')[0] ?? '').trim();

/** The usage read, or a failure when the executor made no cgroup to read. */
export const requireUsage = async (
  read: Promise<ResourceUsage | undefined>,
): Promise<ResourceUsage> => {
  const usage = await read;
  if (usage === undefined) {
    throw new Error('readResourceUsage() found no cgroup to read');
  }
  return usage;
};

/** Polls `read` until its CPU time exceeds `after` (at most TEST_WAIT_MS), calling `work` between. */
export const waitForCpuGrowth = (
  read: () => Promise<ResourceUsage | undefined>,
  after: ResourceUsage,
  work: () => Promise<unknown>,
): Promise<ResourceUsage> =>
  pollUntil(
    async () => {
      await work();
      const usage = await requireUsage(read());
      return (usage.cpuUsageMicros ?? 0) > (after.cpuUsageMicros ?? 0) ? usage : null;
    },
    { signal: AbortSignal.timeout(TEST_WAIT_MS), backOff: { minDelayMs: 10, maxDelayMs: 100 } },
  );
