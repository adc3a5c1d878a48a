// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { mkdir, truncate, writeFile } from 'node:fs/promises';
import path from 'node:path';
import {
  FirecrackerMetricsExporter,
  readMetrics,
  serveMetrics,
  vmEnded,
} from '@kindling/ext-metrics';
import { unrestricted, type VmTestHarness } from '@kindling/test-vm';
import type { ApiVmConfiguration } from '@kindling/vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createE2eHarness,
  noRunningVm,
  noStartedVm,
  skipNote,
  waitForGuestIfItBoots,
} from '../src/index.ts';

let harness: VmTestHarness;
beforeAll(async () => {
  harness = await createE2eHarness('devices');
});
afterAll(async () => {
  await harness[Symbol.asyncDispose]();
});

const takeFirst = async <T>(entries: AsyncIterable<T>): Promise<[T]> => {
  for await (const entry of entries) {
    return [entry];
  }
  throw new Error('the metrics ended before a first entry');
};

const driveFile = async (name: string): Promise<string> => {
  const file = harness.pathFor(`drives/${name}.img`);
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, '');
  await truncate(file, 1024 * 1024);
  return file;
};

// VMM-level: Firecracker configured through its API, no guest started.
describe('the API before boot (VMM-level), unrestricted', () => {
  it('stores MMDS data, patches it and reads it back', async () => {
    const vm = await harness.prepare(unrestricted, harness.configuration('mmds'));
    await vm.start({ boot: false });
    await vm.putMmds({ latest: { 'meta-data': { 'instance-id': 'i-1' } } });
    await vm.patchMmds({ latest: { 'meta-data': { zone: 'here' } } });
    expect(await vm.getMmds()).toEqual({
      latest: { 'meta-data': { 'instance-id': 'i-1', zone: 'here' } },
    });
  });

  it('configures a balloon and a drive, and GET /vm/config shows them', async () => {
    const drive = await driveFile('before');
    const configuration: ApiVmConfiguration = {
      ...harness.configuration('config'),
      balloon: { amount_mib: 16, deflate_on_oom: true, stats_polling_interval_s: 1 },
      drives: [
        { drive_id: 'data', path_on_host: drive, is_root_device: false, is_read_only: false },
      ],
    };
    const vm = await harness.prepare(unrestricted, configuration);
    await vm.start({ boot: false });
    expect(await vm.getBalloon()).toMatchObject({ amount_mib: 16, deflate_on_oom: true });
    const config = await vm.getVmConfig();
    expect(config.drives?.map((entry) => entry.drive_id)).toEqual(['data']);
  });
});

describe('devices of a running VM, unrestricted', () => {
  // Firecracker refuses PATCH /balloon until the guest's driver activates the device (400
  // "Device not activated yet"): this one needs a guest that boots.
  it.skipIf(noRunningVm !== undefined)(
    `inflates the balloon after boot (the guest's driver activates it)${skipNote(noRunningVm)}`,
    async () => {
      const vm = await harness.prepare(unrestricted, {
        ...harness.configuration('balloon'),
        balloon: { amount_mib: 0, deflate_on_oom: true, stats_polling_interval_s: 1 },
      });
      await vm.start();
      await waitForGuestIfItBoots(vm, harness.marker);
      await vm.patchBalloon({ amount_mib: 8 });
      expect((await vm.getBalloon()).amount_mib).toBe(8);
    },
  );

  it.skipIf(noStartedVm !== undefined)(
    `patches a drive to another file after boot${skipNote(noStartedVm)}`,
    async () => {
      const before = await driveFile('patch-before');
      const after = await driveFile('patch-after');
      const vm = await harness.prepare(unrestricted, {
        ...harness.configuration('drive'),
        drives: [
          { drive_id: 'data', path_on_host: before, is_root_device: false, is_read_only: false },
        ],
      });
      await vm.start();
      await waitForGuestIfItBoots(vm, harness.marker);
      await vm.patchDrive({ drive_id: 'data', path_on_host: after });
      expect((await vm.getVmConfig()).drives?.[0]?.path_on_host).toBe(after);
    },
  );
  it.skipIf(noStartedVm !== undefined)(
    `writes metrics on FlushMetrics, read as records and exposed to Prometheus${skipNote(noStartedVm)}`,
    async () => {
      const metricsPath = harness.pathFor('metrics/vm.metrics');
      const vm = await harness.prepare(unrestricted, {
        ...harness.configuration('metrics'),
        metrics: { metrics_path: metricsPath },
      });
      await vm.start();
      const exporter = new FirecrackerMetricsExporter();
      const entries = await readMetrics(vm.resolveEffectivePath(metricsPath), {
        until: vmEnded(vm),
      });
      await vm.flushMetrics();
      // The first entry of a flush is its record.
      const [entry] = await takeFirst(entries);
      exporter.observe('e2e', entry);
      const records = [entry].filter((seen) => seen.type === 'record').length;
      await using server = await serveMetrics(exporter.registry, { port: 0 });
      const page = await (await fetch(server.url)).text();
      expect({
        records,
        exposed: /^firecracker_put_api_requests_machine_cfg_count_total\{vm_id="e2e"\} 1$/mu.test(
          page,
        ),
      }).toEqual({
        records: 1,
        exposed: true,
      });
    },
  );
});
