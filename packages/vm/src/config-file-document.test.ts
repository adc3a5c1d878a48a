// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { vmmConfigFileSchema } from '@kindling/vmm-core';
import { describe, expect, it } from 'vitest';
import { buildConfigFileDocument } from './config-file-document.js';

describe('buildConfigFileDocument', () => {
  it('writes kebab-case keys, omits unset items and always has drives', () => {
    const document = buildConfigFileDocument({
      bootSource: { kernel_image_path: '/vmlinux' },
      machineConfig: { vcpu_count: 1, mem_size_mib: 128 },
      networkInterfaces: [{ iface_id: 'eth0', host_dev_name: 'tap0' }],
      mmdsConfig: { version: 'V2', network_interfaces: ['eth0'] },
      memoryHotplug: { total_size_mib: 256 },
    });
    expect(document).toEqual({
      'boot-source': { kernel_image_path: '/vmlinux' },
      drives: [],
      'machine-config': { vcpu_count: 1, mem_size_mib: 128 },
      'network-interfaces': [{ iface_id: 'eth0', host_dev_name: 'tap0' }],
      'mmds-config': { version: 'V2', network_interfaces: ['eth0'] },
      'memory-hotplug': { total_size_mib: 256 },
    });
    expect(JSON.stringify(document)).not.toContain('null');
    expect(vmmConfigFileSchema.safeParse(document).success).toBe(true);
  });

  it('keeps the given drives and every item Firecracker reads from a file', () => {
    const document = buildConfigFileDocument({
      bootSource: { kernel_image_path: '/k' },
      drives: [{ drive_id: 'root', is_root_device: true, path_on_host: '/r' }],
      pmem: [{ id: 'p', path_on_host: '/p' }],
      cpuConfig: { kvm_capabilities: [] },
      balloon: { amount_mib: 1, deflate_on_oom: false },
      vsock: { guest_cid: 3, uds_path: '/v' },
      logger: { level: 'Info' },
      metrics: { metrics_path: '/m' },
      entropy: {},
    });
    expect(Object.keys(document)).toEqual([
      'logger',
      'metrics',
      'cpu-config',
      'boot-source',
      'drives',
      'vsock',
      'balloon',
      'entropy',
      'pmem',
    ]);
  });
});
