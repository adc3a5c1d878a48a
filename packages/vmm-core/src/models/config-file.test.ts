// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { describe, expect, it } from 'vitest';
import { VmmCoreError } from '../errors.js';
import { parseWithSchema } from '../validation.js';
import { vmmConfigFileSchema } from './config-file.js';

const minimal = { 'boot-source': { kernel_image_path: '/vmlinux' }, drives: [] };
const rootDrive = { drive_id: 'rootfs', is_root_device: true, path_on_host: '/rootfs.ext4' };
const dataDrive = { drive_id: 'data', is_root_device: false, path_on_host: '/data.ext4' };

const messageOf = (value: unknown): string => {
  try {
    parseWithSchema(vmmConfigFileSchema, value, 'configFile');
  } catch (error) {
    if (error instanceof VmmCoreError) {
      return error.message;
    }
    throw error;
  }
  throw new Error(`expected ${JSON.stringify(value)} to be rejected`);
};

const accepts = (value: unknown): boolean => vmmConfigFileSchema.safeParse(value).success;

describe('vmmConfigFileSchema', () => {
  it('accepts the minimal document: a boot source and an empty drive list', () => {
    expect(vmmConfigFileSchema.parse(minimal)).toEqual(minimal);
  });

  it('requires boot-source and drives, even an empty drive list', () => {
    expect(messageOf({ drives: [] })).toBe(
      'configFile.boot-source: is required: expected a BootSource object, got nothing',
    );
    expect(messageOf({ 'boot-source': minimal['boot-source'] })).toBe(
      'configFile.drives: is required: expected an array of drives (may be empty), got nothing',
    );
    expect(accepts({ ...minimal, drives: null })).toBe(false);
  });

  it('accepts a document with every key', () => {
    const full = {
      ...minimal,
      drives: [rootDrive, dataDrive],
      'machine-config': { vcpu_count: 2, mem_size_mib: 512 },
      'cpu-config': { kvm_capabilities: ['!56'] },
      'network-interfaces': [{ iface_id: 'eth0', host_dev_name: 'tap0' }],
      vsock: { guest_cid: 3, uds_path: '/v.sock' },
      balloon: { amount_mib: 512, deflate_on_oom: true },
      'mmds-config': { network_interfaces: ['eth0'], version: 'V2' },
      entropy: {},
      pmem: [{ id: 'pmem0', path_on_host: '/p.img' }],
      'memory-hotplug': { total_size_mib: 1024 },
      logger: { level: 'Info' },
      metrics: { metrics_path: '/m.fifo' },
    };
    expect(vmmConfigFileSchema.parse(full)).toEqual(full);
  });

  it('accepts cpu-config as a template file path or an inline template', () => {
    expect(accepts({ ...minimal, 'cpu-config': '/templates/t2cl.json' })).toBe(true);
    expect(accepts({ ...minimal, 'cpu-config': { msr_modifiers: [] } })).toBe(true);
    expect(messageOf({ ...minimal, 'cpu-config': 42 })).toBe(
      'configFile.cpu-config: expected a CPU template file path or a CpuConfig object, got 42',
    );
    expect(messageOf({ ...minimal, 'cpu-config': { cpuid: [] } })).toContain(
      'unknown field "cpuid"',
    );
  });

  it('drops unknown top-level keys, which Firecracker ignores, such as serial', () => {
    expect(
      vmmConfigFileSchema.parse({ ...minimal, serial: { serial_out_path: '/s' }, comment: 'x' }),
    ).toEqual(minimal);
  });

  it('still rejects unknown fields inside items', () => {
    expect(messageOf({ ...minimal, drives: [{ ...dataDrive, readonly: true }] })).toContain(
      'configFile.drives[0]: unknown field "readonly"',
    );
  });

  it('reports the path of a bad nested field', () => {
    expect(
      messageOf({ ...minimal, 'machine-config': { vcpu_count: 64, mem_size_mib: 128 } }),
    ).toContain('configFile.machine-config.vcpu_count: expected an integer from 1 to 32');
  });

  it('accepts a GET /vm/config answer as a config file', () => {
    const reported = {
      balloon: null,
      drives: [{ ...rootDrive, partuuid: null, cache_type: 'Unsafe', socket: null }],
      'boot-source': { kernel_image_path: '/vmlinux', initrd_path: null, boot_args: null },
      'cpu-config': null,
      logger: null,
      'machine-config': { vcpu_count: 1, mem_size_mib: 128, smt: false },
      metrics: null,
      'mmds-config': null,
      'network-interfaces': [],
      vsock: null,
      entropy: null,
      pmem: [],
      'memory-hotplug': null,
    };
    expect(accepts(reported)).toBe(true);
  });

  describe('balloon against memory', () => {
    it('accepts a balloon as large as the memory and rejects a larger one', () => {
      const config = { ...minimal, 'machine-config': { vcpu_count: 1, mem_size_mib: 256 } };
      expect(accepts({ ...config, balloon: { amount_mib: 256, deflate_on_oom: false } })).toBe(
        true,
      );
      expect(messageOf({ ...config, balloon: { amount_mib: 257, deflate_on_oom: false } })).toMatch(
        /^configFile\.balloon\.amount_mib: must be at most machine-config\.mem_size_mib \(256 MiB\) .*Amount of pages requested is too large.*, got 257$/u,
      );
    });

    it('measures against the default 128 MiB without machine-config', () => {
      expect(accepts({ ...minimal, balloon: { amount_mib: 128, deflate_on_oom: true } })).toBe(
        true,
      );
      expect(accepts({ ...minimal, balloon: { amount_mib: 129, deflate_on_oom: true } })).toBe(
        false,
      );
    });
  });

  describe('root devices', () => {
    it('rejects a second root drive', () => {
      const second = { ...rootDrive, drive_id: 'rootfs2' };
      expect(messageOf({ ...minimal, drives: [rootDrive, second] })).toMatch(
        /^configFile\.drives\[1\]\.is_root_device: must be false: drive "rootfs" is already the root device .*A root block device already exists!.*, got true$/u,
      );
    });

    it('lets a later drive with the same id replace the root drive, as a PUT does', () => {
      expect(
        accepts({ ...minimal, drives: [rootDrive, { ...rootDrive, path_on_host: '/b' }] }),
      ).toBe(true);
      const demoted = { ...rootDrive, is_root_device: false };
      const other = { ...rootDrive, drive_id: 'other' };
      expect(accepts({ ...minimal, drives: [rootDrive, demoted, other] })).toBe(true);
    });

    it('rejects a root pmem device when a drive is the root device', () => {
      const pmem = [{ id: 'pmem0', path_on_host: '/p', root_device: true }];
      expect(messageOf({ ...minimal, drives: [rootDrive], pmem })).toContain(
        'configFile.pmem[0].root_device: must be false: drive "rootfs" is already the root device',
      );
      expect(accepts({ ...minimal, drives: [dataDrive], pmem })).toBe(true);
    });

    it('rejects a second root pmem device', () => {
      const pmem = [
        { id: 'pmem0', path_on_host: '/p', root_device: true },
        { id: 'pmem1', path_on_host: '/q', root_device: true },
      ];
      expect(messageOf({ ...minimal, pmem })).toContain(
        'configFile.pmem[1].root_device: must be false: pmem "pmem0" is already the root device',
      );
    });
  });

  describe('network interfaces and MMDS', () => {
    const eth0 = { iface_id: 'eth0', host_dev_name: 'tap0', guest_mac: 'AA:FC:00:00:00:01' };

    it('rejects a guest MAC used by another interface, whatever its case', () => {
      const eth1 = { iface_id: 'eth1', host_dev_name: 'tap1', guest_mac: 'aa:fc:00:00:00:01' };
      expect(messageOf({ ...minimal, 'network-interfaces': [eth0, eth1] })).toMatch(
        /^configFile\.network-interfaces\[1\]\.guest_mac: must differ from interface "eth0"'s .*already in use: aa:fc:00:00:00:01.*, got "aa:fc:00:00:00:01"$/u,
      );
    });

    it('lets an interface keep its MAC when it is replaced by the same id', () => {
      const replaced = { ...eth0, host_dev_name: 'tap9' };
      expect(accepts({ ...minimal, 'network-interfaces': [eth0, replaced] })).toBe(true);
    });

    it('requires MMDS interfaces to be configured', () => {
      const config = { ...minimal, 'network-interfaces': [eth0] };
      expect(accepts({ ...config, 'mmds-config': { network_interfaces: ['eth0'] } })).toBe(true);
      expect(
        messageOf({ ...config, 'mmds-config': { network_interfaces: ['eth0', 'eth1'] } }),
      ).toMatch(
        /^configFile\.mmds-config\.network_interfaces\[1\]: must name an interface of network-interfaces .*, got "eth1"$/u,
      );
      expect(accepts({ ...minimal, 'mmds-config': { network_interfaces: ['eth0'] } })).toBe(false);
    });
  });
});
