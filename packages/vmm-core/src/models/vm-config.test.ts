// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { describe, expect, it } from 'vitest';
import { fullVmConfigurationSchema } from './vm-config.js';

// What GET /vm/config answers for a VM with a root drive and one interface, nulls included.
const reported = {
  balloon: null,
  drives: [
    {
      drive_id: 'rootfs',
      partuuid: null,
      is_root_device: true,
      cache_type: 'Unsafe',
      is_read_only: false,
      path_on_host: '/rootfs.ext4',
      rate_limiter: null,
      io_engine: 'Sync',
      socket: null,
    },
  ],
  'boot-source': { kernel_image_path: '/vmlinux', initrd_path: null, boot_args: 'console=ttyS0' },
  'cpu-config': null,
  logger: null,
  'machine-config': {
    vcpu_count: 2,
    mem_size_mib: 256,
    smt: false,
    track_dirty_pages: false,
    huge_pages: 'None',
  },
  metrics: null,
  'mmds-config': null,
  'network-interfaces': [
    {
      iface_id: 'eth0',
      host_dev_name: 'tap0',
      guest_mac: 'aa:fc:00:00:00:01',
      mtu: null,
      rx_rate_limiter: null,
      tx_rate_limiter: { bandwidth: { size: 1, refill_time: 1, one_time_burst: null }, ops: null },
    },
  ],
  vsock: null,
  entropy: null,
  pmem: [],
  'memory-hotplug': null,
};

describe('fullVmConfigurationSchema', () => {
  it('reads a GET /vm/config answer unchanged, nulls included', () => {
    expect(fullVmConfigurationSchema.parse(reported)).toEqual(reported);
  });

  it('reads the answer for a VM with nothing configured', () => {
    const empty = {
      'boot-source': { kernel_image_path: '', initrd_path: null, boot_args: null },
      drives: [],
    };
    expect(fullVmConfigurationSchema.safeParse(empty).success).toBe(true);
  });

  it('reports any u32 guest CID, since Firecracker accepts the reserved ones', () => {
    const withVsock = { ...reported, vsock: { guest_cid: 2, uds_path: '/v.sock', vsock_id: null } };
    expect(fullVmConfigurationSchema.safeParse(withVsock).success).toBe(true);
  });

  it('keeps unknown top-level keys but checks each item', () => {
    expect(fullVmConfigurationSchema.parse({ ...reported, gpu: null })).toHaveProperty('gpu', null);
    const badDrive = { ...reported, drives: [{ drive_id: 'x', is_root_device: false }] };
    expect(fullVmConfigurationSchema.safeParse(badDrive).success).toBe(false);
  });
});
