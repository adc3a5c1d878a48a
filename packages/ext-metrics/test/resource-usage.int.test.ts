// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { rmdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { JailedExecutor } from '@kindling/executor';
import { testBackend, writeFakeKernel } from '@kindling/fake-vmm';
import { FakeInstallationFolder, isRoot, TEST_WAIT_MS } from '@kindling/test-utils';
import { Vm } from '@kindling/vm';
import { JailerArguments, VmmArguments } from '@kindling/vmm-core';
import { describe, expect, it } from 'vitest';
import { FirecrackerMetricsExporter } from '../src/index.js';

const HOST_CGROUPS = '/sys/fs/cgroup';
const CONTROLLERS = ['memory', 'pids'] as const;
const isV1Host = CONTROLLERS.every((controller) =>
  existsSync(path.join(HOST_CGROUPS, controller, 'tasks')),
);
const canRun = isRoot && isV1Host;
const SKIP_REASON = isRoot
  ? ' (skipped: needs a cgroup v1 host with memory and pids hierarchies)'
  : ' (skipped: needs root, to make real cgroups)';
const MIB = 1024 * 1024;

const sampleOf = (text: string, name: string): number =>
  Number(
    text
      .split('\n')
      .find((line) => line.startsWith(`${name}{vm_id="limited"}`))
      ?.split(' ')[1],
  );

const isFake = testBackend.kind === 'fake';
// The fake jailer makes real cgroups when its root is a cgroup file system; a real one always does.
const FAKE_SWITCHES = isFake ? { cgroupRoot: HOST_CGROUPS } : {};
const EXECUTOR_CGROUP_ROOT = isFake ? { cgroupRoot: HOST_CGROUPS } : {};

const removeParents = async (parent: string): Promise<void> => {
  // The parents the jailer made stay, as the real jailer leaves them.
  for (const controller of CONTROLLERS) {
    await rmdir(path.join(HOST_CGROUPS, controller, parent)).catch((error: unknown) => {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
        throw error;
      }
    });
  }
};

// A jailed VM with memory and pid limits, in cgroups under `parent`.
const prepareLimitedVm = async (folder: FakeInstallationFolder, parent: string): Promise<Vm> => {
  const kernel =
    testBackend.kind === 'real' && testBackend.kernelPath !== undefined
      ? testBackend.kernelPath
      : await writeFakeKernel(path.join(folder.dir, 'vmlinux'));
  const rootfs = path.join(folder.dir, 'rootfs.ext4');
  await writeFile(rootfs, Buffer.alloc(MIB));
  return Vm.prepare({
    installation: folder.installation,
    executor: new JailedExecutor({
      vmmArguments: new VmmArguments({}),
      jailerArguments: new JailerArguments({
        id: `limited-${randomUUID().slice(0, 8)}`,
        execFile: folder.installation.firecrackerPath,
        uid: 65_534,
        gid: 65_534,
        chrootBaseDir: path.join(folder.dir, 'jail'),
        parentCgroup: parent,
      }),
      pidFileTimeoutMs: TEST_WAIT_MS,
      ...EXECUTOR_CGROUP_ROOT,
    }),
    ownership: { kind: 'downgraded', uid: 65_534, gid: 65_534 },
    profile: { limits: { memoryBytes: 256 * MIB, pids: 64 } },
    configuration: {
      bootSource: { kernel_image_path: kernel, boot_args: 'console=ttyS0 reboot=k panic=1' },
      drives: [
        { drive_id: 'rootfs', is_root_device: true, is_read_only: true, path_on_host: rootfs },
      ],
    },
    socketWaitTimeoutMs: TEST_WAIT_MS,
  });
};

describe.skipIf(!canRun)(`cgroup usage of a VM with limits${canRun ? '' : SKIP_REASON}`, () => {
  it('is exported at each scrape from the real cgroup, and gone with the VM', async () => {
    const parent = `kindling-test-${randomUUID().slice(0, 8)}`;
    await using folder = await FakeInstallationFolder.create({
      prefix: 'kindling-metrics-usage-',
      mode: 0o755,
      fake: FAKE_SWITCHES,
    });
    await using cleanup = new AsyncDisposableStack();
    cleanup.defer(() => removeParents(parent));
    await using vm = await prepareLimitedVm(folder, parent);
    await vm.start();
    const exporter = new FirecrackerMetricsExporter();
    exporter.trackResourceUsage('limited', vm);
    const text = await exporter.registry.metrics();
    expect(sampleOf(text, 'kindling_vm_memory_bytes')).toBeGreaterThan(0);
    expect(sampleOf(text, 'kindling_vm_memory_limit_bytes')).toBe(256 * MIB);
    expect(sampleOf(text, 'kindling_vm_pids')).toBeGreaterThanOrEqual(1);
    expect(sampleOf(text, 'kindling_vm_pids_limit')).toBe(64);
    expect(sampleOf(text, 'kindling_vm_cpu_usage_seconds_total')).toBeGreaterThan(0);
    // After cleanup the VM has no cgroup: its gauges go, without a read error.
    await vm.shutdown([{ method: 'kill' }]);
    await vm.cleanup();
    const after = await exporter.registry.metrics();
    expect(after).not.toContain('kindling_vm_memory_bytes{');
    expect(after).not.toContain('kindling_vm_resource_usage_read_errors_total{');
    exporter.removeVm('limited');
    expect(await exporter.registry.metrics()).not.toContain('vm_id="limited"');
  });
});
