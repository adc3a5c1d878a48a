// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Vm, VmConfiguration } from '../src/index.js';
import {
  SETUPS,
  basicConfiguration,
  defined,
  createVmHarness,
  isRealBackend,
  NEEDS_GUEST,
  type ExecutorSetup,
  type VmHarness,
} from './support/vm-harness.js';

let harness: VmHarness;
beforeAll(async () => {
  harness = await createVmHarness();
});
afterAll(async () => {
  await harness.dispose();
});

// A typed view of the MMDS data, as a zod schema would give it.
const extraSchema = {
  parse: (value: unknown): { extra: number[] } => {
    const latest = (value as { latest?: { extra?: unknown } }).latest;
    if (!Array.isArray(latest?.extra)) {
      throw new TypeError('no latest.extra array');
    }
    return { extra: latest.extra as number[] };
  },
};

const fullConfiguration = (name: string): VmConfiguration => ({
  ...basicConfiguration(harness),
  pmem: [{ id: 'pm0', path_on_host: harness.kernelPath, read_only: true }],
  networkInterfaces: [
    { iface_id: 'eth0', host_dev_name: harness.tap('tap0'), guest_mac: 'AA:FC:00:00:00:01' },
  ],
  balloon: {
    amount_mib: 16,
    deflate_on_oom: true,
    stats_polling_interval_s: 1,
    free_page_hinting: true,
  },
  vsock: { guest_cid: 3, uds_path: harness.pathFor(`sockets/${name}.vsock`) },
  metrics: { metrics_path: harness.pathFor(`${name}.metrics`) },
  memoryHotplug: { total_size_mib: 256 },
  mmdsConfig: { version: 'V2', network_interfaces: ['eth0'] },
  mmds: { latest: { 'meta-data': { 'instance-id': name } } },
  entropy: {},
});

// A folder Firecracker creates a socket in must be where it looks, and writable by its user.
const placeFolderForVmm = async (vm: Vm, virtualPath: string): Promise<void> => {
  const target = vm.resolveEffectivePath(virtualPath);
  await mkdir(target, { recursive: true });
  await chmod(target, 0o777);
};

// A file Firecracker opens after boot (hotplug): it must be where it looks, and its user's.
const placeForVmm = async (vm: Vm, virtualPath: string): Promise<void> => {
  const target = vm.resolveEffectivePath(virtualPath);
  await mkdir(path.dirname(target), { recursive: true });
  await writeFile(target, 'hot-plugged');
  await chmod(target, 0o666);
};

describe.each(SETUPS)('every API method, $name', (setup: ExecutorSetup) => {
  const boot = async (name: string): Promise<Vm> => {
    const vm = await harness.prepare(setup, fullConfiguration(`${setup.tag}-${name}`));
    await vm.start();
    return vm;
  };

  describe.concurrent('on a booted VM', () => {
    it('reports info, version, the whole configuration and the machine config', async () => {
      const vm = await boot('info');
      expect(await vm.getInfo()).toMatchObject({
        state: 'Running',
        vmm_version: '1.16.1',
        app_name: 'Firecracker',
      });
      expect(await vm.getVersion()).toBe('1.16.1');
      expect(await vm.getMachineConfig()).toMatchObject({ vcpu_count: 1, mem_size_mib: 128 });
      const config = await vm.getVmConfig();
      const rootfs = config.drives?.[0]?.path_on_host;
      // Firecracker sees the path the executor gave it: in the jail, the file's flat name.
      expect(rootfs).toBe(setup.seenPath(harness.rootfsPath));
      expect(vm.resolveEffectivePath(harness.rootfsPath)).toBe(
        vm.resolveEffectivePath(setup.seenPath(harness.rootfsPath)),
      );
      expect(config['network-interfaces']).toEqual([
        expect.objectContaining({ iface_id: 'eth0', host_dev_name: expect.any(String) }),
      ]);
    });

    it('patches, hot-plugs and unplugs drives, network interfaces and pmem', async () => {
      const vm = await boot('devices');
      const limiter = { bandwidth: { size: 1_000_000, refill_time: 100 } };
      await vm.patchDrive({ drive_id: 'rootfs', rate_limiter: limiter });
      const extra = harness.pathFor(`extra-${String(vm.pid)}.ext4`);
      await placeForVmm(vm, extra);
      await vm.putDrive({ drive_id: 'extra', is_root_device: false, path_on_host: extra });
      // Sorted: a real Firecracker lists the hot-plugged drive first, fake-vmm last.
      expect((await vm.getVmConfig()).drives?.map((drive) => drive.drive_id).toSorted()).toEqual([
        'extra',
        'rootfs',
      ]);
      await vm.deleteDrive('extra');
      expect((await vm.getVmConfig()).drives?.map((drive) => drive.drive_id)).toEqual(['rootfs']);

      await vm.patchNetworkInterface({ iface_id: 'eth0', rx_rate_limiter: limiter });
      await vm.putNetworkInterface({ iface_id: 'eth1', host_dev_name: harness.tap('tap1') });
      await vm.deleteNetworkInterface('eth1');
      expect(
        (await vm.getVmConfig())['network-interfaces']?.map((iface) => iface.iface_id),
      ).toEqual(['eth0']);

      await vm.patchPmem({ id: 'pm0', rate_limiter: limiter });
      const pmem = harness.pathFor(`pmem-${String(vm.pid)}`);
      await placeForVmm(vm, pmem);
      await vm.putPmem({ id: 'pm1', path_on_host: pmem });
      await vm.deletePmem('pm1');
      expect((await vm.getVmConfig()).pmem?.map((device) => device.id)).toEqual(['pm0']);
    });

    it.skipIf(isRealBackend)(
      `drives the balloon: config, target, statistics and free page hinting ${NEEDS_GUEST}`,
      async () => {
        const vm = await boot('balloon');
        expect(await vm.getBalloon()).toMatchObject({ amount_mib: 16, deflate_on_oom: true });
        await vm.patchBalloon({ amount_mib: 32 });
        expect(await vm.getBalloon()).toMatchObject({ amount_mib: 32 });
        expect(await vm.getBalloonStatistics()).toMatchObject({ target_mib: 32 });
        await vm.patchBalloonStatistics({ stats_polling_interval_s: 5 });
        expect(await vm.getBalloon()).toMatchObject({ stats_polling_interval_s: 5 });
        await vm.startBalloonHinting({ acknowledge_on_stop: false });
        expect(await vm.getBalloonHintingStatus()).toMatchObject({ host_cmd: expect.any(Number) });
        await vm.stopBalloonHinting();
        await vm.startBalloonHinting();
      },
    );

    it('reads and writes MMDS, untyped and typed', async () => {
      const vm = await boot('mmds');
      expect(await vm.getMmds()).toEqual({
        latest: { 'meta-data': { 'instance-id': `${setup.tag}-mmds` } },
      });
      await vm.putMmds({ latest: { token: 'a' } });
      await vm.patchMmds({ latest: { token: null, extra: [1, 2] } });
      expect(await vm.getMmds()).toEqual({ latest: { extra: [1, 2] } });
      const typed = await vm.getMmds({ schema: extraSchema });
      expect(typed.extra).toEqual([1, 2]);
      await vm.putMmds({ other: true });
      await expect(vm.getMmds({ schema: extraSchema })).rejects.toMatchObject({
        code: 'ERR_API_BODY_INVALID',
      });
    });

    it.skipIf(isRealBackend)(`reads and resizes hot-pluggable memory ${NEEDS_GUEST}`, async () => {
      const vm = await boot('hotplug');
      expect(await vm.getMemoryHotplugStatus()).toMatchObject({ total_size_mib: 256 });
      await vm.patchMemoryHotplug({ requested_size_mib: 128 });
      expect(await vm.getMemoryHotplugStatus()).toMatchObject({ requested_size_mib: 128 });
    });

    it('flushes metrics as a line of the metrics file', async () => {
      const vm = await boot('metrics');
      const metricsFile = vm.resolveEffectivePath(harness.pathFor(`${setup.tag}-metrics.metrics`));
      const before = (await readFile(metricsFile, 'utf8')).split('\n').filter(Boolean).length;
      await vm.flushMetrics();
      const lines = (await readFile(metricsFile, 'utf8')).split('\n').filter(Boolean);
      expect(lines.length).toBe(before + 1);
      expect(JSON.parse(defined(lines.at(-1)))).toHaveProperty('utc_timestamp_ms');
    });

    it('pauses and resumes, and keeps the state true after raw requests', async () => {
      const vm = await boot('pause');
      await vm.pause();
      expect(vm.state).toBe('paused');
      expect((await vm.getInfo()).state).toBe('Paused');
      await vm.resume();
      expect(vm.state).toBe('running');
      const raw = await vm.request('PATCH', '/vm', { state: 'Paused' });
      expect(raw.status).toBe(204);
      expect(vm.state).toBe('paused');
      const config = await vm.request('GET', '/machine-config');
      expect(config.body).toMatchObject({ vcpu_count: 1 });
      await vm.request('PATCH', '/vm', { state: 'Resumed' });
      expect(vm.state).toBe('running');
    });

    it('turns Firecracker’s refusals into ERR_API_RESPONSE with its message', async () => {
      const vm = await boot('refusal');
      const error = await vm.patchBalloon({ amount_mib: 4096 }).catch((caught: unknown) => caught);
      expect(error).toMatchObject({
        name: 'VmError',
        code: 'ERR_API_RESPONSE',
        message: expect.stringContaining(
          'vm.patchBalloon(): Firecracker rejected PATCH /balloon with 400',
        ),
        cause: { code: 'ERR_API_RESPONSE', status: 400 },
      });
      await expect(vm.request('GET', '/nope')).rejects.toMatchObject({
        code: 'ERR_API_RESPONSE',
        message: expect.stringContaining('Invalid request method and/or path'),
      });
    });

    it('validates a body before sending it', async () => {
      const vm = await boot('validate');
      await expect(vm.patchDrive({ drive_id: 'root-fs' })).rejects.toMatchObject({
        code: 'ERR_INVALID_INPUT',
        message: expect.stringMatching(/^update\.drive_id: must contain only/u),
      });
      await expect(vm.deleteDrive('')).rejects.toMatchObject({ code: 'ERR_INVALID_INPUT' });
      await expect(vm.putMmds({ when: new Date() })).rejects.toMatchObject({
        code: 'ERR_INVALID_INPUT',
      });
      await expect(vm.request('POST' as 'PUT', '/')).rejects.toMatchObject({
        code: 'ERR_INVALID_INPUT',
      });
    });
  });

  it('configures a VM call by call between start({ boot: false }) and boot()', async () => {
    const name = `${setup.tag}-preboot`;
    const vm = await harness.prepare(setup, {
      bootSource: { kernel_image_path: harness.kernelPath },
      drives: [{ drive_id: 'rootfs', is_root_device: true, path_on_host: harness.rootfsPath }],
    });
    await vm.start({ boot: false });
    expect(vm.state).toBe('not-started');
    expect((await vm.getInfo()).state).toBe('Not started');
    const seen = defined((await vm.getVmConfig())['boot-source']?.kernel_image_path);
    await vm.putLogger({ level: 'Debug', show_level: true });
    await vm.putSerial({});
    await vm.putMachineConfig({ vcpu_count: 2, mem_size_mib: 256 });
    await vm.patchMachineConfig({ track_dirty_pages: true });
    await vm.putCpuConfig({ kvm_capabilities: [] });
    await vm.putBootSource({ kernel_image_path: seen, boot_args: 'console=ttyS0' });
    await vm.putNetworkInterface({ iface_id: 'eth0', host_dev_name: harness.tap('tap0') });
    await placeFolderForVmm(vm, harness.pathFor(name));
    await vm.putVsock({ guest_cid: 7, uds_path: harness.pathFor(`${name}/v.sock`) });
    await vm.putBalloon({ amount_mib: 8, deflate_on_oom: false });
    await vm.putMmdsConfig({ version: 'V2', network_interfaces: ['eth0'] });
    await vm.putMmds({ hello: 'world' });
    await vm.putEntropy();
    await vm.putMemoryHotplug({ total_size_mib: 128 });
    await vm.boot();
    expect(vm.state).toBe('running');
    expect(await vm.getMachineConfig()).toMatchObject({
      vcpu_count: 2,
      mem_size_mib: 256,
      track_dirty_pages: true,
    });
    const config = await vm.getVmConfig();
    expect(config.vsock).toMatchObject({ guest_cid: 7 });
    expect(config['mmds-config']).toMatchObject({ network_interfaces: ['eth0'] });
    expect(await vm.getMmds()).toEqual({ hello: 'world' });
  });
});
