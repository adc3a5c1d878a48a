// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { describe, expect, it } from 'vitest';
import { buildSnapshotLoadParams, planNewVmCalls, planRestoreCalls } from './boot-plan.js';
import type { RestoredVmConfiguration, VmConfigurationItems } from './configuration.js';

const everything: VmConfigurationItems = {
  bootSource: { kernel_image_path: '/vmlinux' },
  drives: [
    { drive_id: 'root', is_root_device: true, path_on_host: '/root.ext4' },
    { drive_id: 'data', is_root_device: false, path_on_host: '/data.ext4' },
  ],
  pmem: [{ id: 'pm0', path_on_host: '/pm0' }],
  machineConfig: { vcpu_count: 2, mem_size_mib: 256 },
  cpuConfig: { kvm_capabilities: ['!121'] },
  networkInterfaces: [{ iface_id: 'eth0', host_dev_name: 'tap0' }],
  balloon: { amount_mib: 16, deflate_on_oom: true },
  vsock: { guest_cid: 3, uds_path: '/v.sock' },
  logger: { log_path: '/fc.log' },
  metrics: { metrics_path: '/fc.metrics' },
  memoryHotplug: { total_size_mib: 1024 },
  mmdsConfig: { version: 'V2', network_interfaces: ['eth0'] },
  mmds: { latest: {} },
  entropy: {},
  serial: { serial_out_path: '/serial.out' },
};

const routes = (calls: readonly { method: string; path: string }[]): string[] =>
  calls.map((call) => `${call.method} ${call.path}`);

describe('planNewVmCalls', () => {
  it('follows the order Firecracker applies a config file in, outputs first', () => {
    expect(routes(planNewVmCalls(everything))).toEqual([
      'PUT /logger',
      'PUT /metrics',
      'PUT /serial',
      'PUT /machine-config',
      'PUT /cpu-config',
      'PUT /boot-source',
      'PUT /drives/root',
      'PUT /drives/data',
      'PUT /network-interfaces/eth0',
      'PUT /vsock',
      'PUT /balloon',
      'PUT /mmds',
      'PUT /mmds/config',
      'PUT /entropy',
      'PUT /pmem/pm0',
      'PUT /hotplug/memory',
    ]);
  });

  it('sends each item as its body and skips what is not configured', () => {
    const calls = planNewVmCalls({
      bootSource: { kernel_image_path: '/vmlinux', boot_args: 'console=ttyS0' },
      drives: [{ drive_id: 'root', is_root_device: true, path_on_host: '/root.ext4' }],
    });
    expect(calls).toEqual([
      {
        method: 'PUT',
        path: '/boot-source',
        body: { kernel_image_path: '/vmlinux', boot_args: 'console=ttyS0' },
      },
      {
        method: 'PUT',
        path: '/drives/root',
        body: { drive_id: 'root', is_root_device: true, path_on_host: '/root.ext4' },
      },
    ]);
  });
});

describe('planRestoreCalls and buildSnapshotLoadParams', () => {
  const restored: RestoredVmConfiguration = {
    kind: 'restored-from-snapshot',
    snapshotPath: '/s/state',
    memBackend: { type: 'file', path: '/s/mem' },
    logger: { log_path: '/l' },
    metrics: { metrics_path: '/m' },
    mmds: { a: 1 },
  };

  it('configures logger, metrics and MMDS data before the load', () => {
    expect(routes(planRestoreCalls(restored))).toEqual([
      'PUT /logger',
      'PUT /metrics',
      'PUT /mmds',
    ]);
  });

  it('builds a load body with only what was set', () => {
    expect(buildSnapshotLoadParams(restored)).toEqual({
      snapshot_path: '/s/state',
      mem_backend: { backend_type: 'File', backend_path: '/s/mem' },
    });
  });

  it('maps every restore option to its wire field', () => {
    expect(
      buildSnapshotLoadParams({
        ...restored,
        memBackend: { type: 'uffd', socketPath: '/s/uffd.sock' },
        resume: true,
        trackDirtyPages: false,
        clockRealtime: true,
        networkOverrides: [{ iface_id: 'eth0', host_dev_name: 'tap9' }],
        vsockOverride: { uds_path: '/v2.sock' },
      }),
    ).toEqual({
      snapshot_path: '/s/state',
      mem_backend: { backend_type: 'Uffd', backend_path: '/s/uffd.sock' },
      resume_vm: true,
      track_dirty_pages: false,
      clock_realtime: true,
      network_overrides: [{ iface_id: 'eth0', host_dev_name: 'tap9' }],
      vsock_override: { uds_path: '/v2.sock' },
    });
  });
});
