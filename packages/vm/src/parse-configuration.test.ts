// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { VmError } from './errors.js';
import { parseVmConfiguration } from './parse-configuration.js';

const bootSource = { kernel_image_path: '/images/vmlinux', boot_args: 'console=ttyS0' };

const invalid = (value: unknown) => () => parseVmConfiguration(value);

describe('parseVmConfiguration', () => {
  it('throws VmError ERR_INVALID_INPUT', () => {
    expect(invalid({ kind: 'new', bootSource })).toThrow(VmError);
    expect(invalid(null)).toThrow(
      expect.objectContaining({
        code: 'ERR_INVALID_INPUT',
        message: 'configuration: expected an object, got null',
      }),
    );
  });

  it('defaults the kind to new-via-api and drops null fields', () => {
    const parsed = parseVmConfiguration({
      bootSource: { ...bootSource, initrd_path: null },
      machineConfig: { vcpu_count: 2, mem_size_mib: 256 },
      balloon: null,
    });
    expect(parsed).toEqual({
      kind: 'new-via-api',
      bootSource,
      machineConfig: { vcpu_count: 2, mem_size_mib: 256 },
    });
  });

  it('keeps the nulls of MMDS data, which are the user’s', () => {
    const parsed = parseVmConfiguration({ bootSource, mmds: { latest: { token: null } } });
    expect(parsed).toMatchObject({ mmds: { latest: { token: null } } });
  });

  it('names the option a Firecracker spelling meant', () => {
    expect(invalid({ 'boot-source': bootSource })).toThrow(
      'configuration.boot-source: unknown key; did you mean bootSource?',
    );
    expect(invalid({ bootSource, machine_config: {} })).toThrow('did you mean machineConfig?');
    expect(invalid({ bootSource, colour: 'red' })).toThrow(
      /configuration\.colour: unknown key; the keys here are kind, fifos, bootSource/u,
    );
  });

  it('reports a bad field of an item by its path, value and rule', () => {
    expect(invalid({ bootSource, machineConfig: { vcpu_count: 0, mem_size_mib: 128 } })).toThrow(
      /^configuration\.machineConfig\.vcpu_count: .*1 to 32.*, got 0$/mu,
    );
    expect(
      invalid({
        bootSource,
        drives: [{ drive_id: 'root-fs', is_root_device: true, path_on_host: '/a' }],
      }),
    ).toThrow(/configuration\.drives\[0\]\.drive_id: must contain only/u);
  });

  it('checks the rules between items, named by their camelCase keys', () => {
    expect(
      invalid({
        bootSource,
        machineConfig: { vcpu_count: 1, mem_size_mib: 64 },
        balloon: { amount_mib: 65, deflate_on_oom: true },
      }),
    ).toThrow(
      /configuration\.balloon\.amount_mib: must be at most machine-config\.mem_size_mib \(64 MiB\)/u,
    );
    expect(
      invalid({
        bootSource,
        networkInterfaces: [
          { iface_id: 'eth0', host_dev_name: 'tap0', guest_mac: 'AA:FC:00:00:00:01' },
          { iface_id: 'eth1', host_dev_name: 'tap1', guest_mac: 'aa:fc:00:00:00:01' },
        ],
      }),
    ).toThrow(/configuration\.networkInterfaces\[1\]\.guest_mac: must differ/u);
    expect(
      invalid({ bootSource, mmdsConfig: { version: 'V2', network_interfaces: ['eth0'] } }),
    ).toThrow(/configuration\.mmdsConfig\.network_interfaces\[0\]: must name an interface/u);
  });

  it('requires a boot source for a new VM', () => {
    expect(invalid({ drives: [] })).toThrow('configuration.bootSource: is required for a new VM');
  });

  it('requires absolute resource paths', () => {
    expect(
      invalid({
        bootSource,
        drives: [{ drive_id: 'root', is_root_device: true, path_on_host: 'rootfs.ext4' }],
      }),
    ).toThrow('configuration.drives[0].path_on_host: expected an absolute path, got "rootfs.ext4"');
    expect(invalid({ bootSource, logger: { log_path: 'fc.log' } })).toThrow(
      'configuration.logger.log_path: expected an absolute path',
    );
  });

  it('refuses one path for two outputs, and allows one image for two drives', () => {
    expect(
      invalid({
        bootSource,
        logger: { log_path: '/out/fc' },
        metrics: { metrics_path: '/out/fc' },
      }),
    ).toThrow(
      'configuration.metrics.metrics_path: is also configuration.logger.log_path: give each output and socket a path of its own, got "/out/fc"',
    );
    const image = { is_root_device: false, is_read_only: true, path_on_host: '/images/data.ext4' };
    expect(
      parseVmConfiguration({
        bootSource,
        drives: [
          { drive_id: 'a', ...image },
          { drive_id: 'b', ...image },
        ],
      }),
    ).toMatchObject({ drives: [{ drive_id: 'a' }, { drive_id: 'b' }] });
  });

  it('refuses a FIFO for an output that has no path', () => {
    expect(invalid({ bootSource, fifos: { metrics: true } })).toThrow(
      'configuration.fifos.metrics: asks for a FIFO',
    );
    expect(invalid({ bootSource, fifos: { logger: 'yes' } })).toThrow(
      'configuration.fifos.logger: expected true or false, got "yes"',
    );
  });

  it('gives a config-file boot a unique default document path in the temporary folder', () => {
    const first = parseVmConfiguration({ kind: 'new-via-config-file', bootSource });
    const second = parseVmConfiguration({ kind: 'new-via-config-file', bootSource });
    expect(first.kind).toBe('new-via-config-file');
    const firstPath = (first as { configFilePath: string }).configFilePath;
    expect(path.dirname(firstPath)).toBe(tmpdir());
    expect(firstPath).not.toBe((second as { configFilePath: string }).configFilePath);
  });

  it('refuses what a config file cannot carry, and configFilePath on an API boot', () => {
    expect(
      invalid({
        kind: 'new-via-config-file',
        bootSource,
        serial: { serial_out_path: '/tmp/serial' },
      }),
    ).toThrow(
      "configuration.serial: a Firecracker config file has no serial key: boot with kind 'new-via-api'",
    );
    expect(invalid({ kind: 'new-via-config-file', bootSource, mmds: {} })).toThrow(
      'no MMDS data key',
    );
    expect(invalid({ bootSource, configFilePath: '/tmp/c.json' })).toThrow(
      'configuration.configFilePath: unknown key',
    );
  });

  it('refuses an unknown kind', () => {
    expect(invalid({ kind: 'new', bootSource })).toThrow(
      'configuration.kind: expected one of new-via-api, new-via-config-file, restored-from-snapshot, got "new"',
    );
  });

  it('parses a restored configuration', () => {
    const parsed = parseVmConfiguration({
      kind: 'restored-from-snapshot',
      snapshotPath: '/snapshots/vm.state',
      memBackend: { type: 'file', path: '/snapshots/vm.mem' },
      resume: true,
      networkOverrides: [{ iface_id: 'eth0', host_dev_name: 'tap7' }],
      vsockOverride: { uds_path: '/run/restored.vsock' },
      deviceFiles: [{ hostPath: '/images/rootfs.ext4', virtualPath: '/rootfs.ext4' }],
      logger: { log_path: '/logs/restored.log', level: 'Debug' },
      fifos: { logger: true },
    });
    expect(parsed).toEqual({
      kind: 'restored-from-snapshot',
      snapshotPath: '/snapshots/vm.state',
      memBackend: { type: 'file', path: '/snapshots/vm.mem' },
      resume: true,
      networkOverrides: [{ iface_id: 'eth0', host_dev_name: 'tap7' }],
      vsockOverride: { uds_path: '/run/restored.vsock' },
      deviceFiles: [{ hostPath: '/images/rootfs.ext4', virtualPath: '/rootfs.ext4' }],
      logger: { log_path: '/logs/restored.log', level: 'Debug' },
      fifos: { logger: true },
    });
  });

  it('checks a restored configuration’s own options', () => {
    const restored = { kind: 'restored-from-snapshot', snapshotPath: '/s/state' };
    expect(invalid({ ...restored, memBackend: { type: 'disk', path: '/s/mem' } })).toThrow(
      "configuration.memBackend.type: expected 'file' or 'uffd', got \"disk\"",
    );
    expect(invalid({ ...restored, memBackend: { type: 'uffd', path: '/s/uffd.sock' } })).toThrow(
      'configuration.memBackend.path: unknown key',
    );
    expect(
      invalid({ ...restored, memBackend: { type: 'file', path: '/s/mem' }, resume: 1 }),
    ).toThrow('configuration.resume: expected true or false, got 1');
    expect(
      invalid({
        ...restored,
        memBackend: { type: 'file', path: '/s/mem' },
        networkOverrides: [{ iface_id: 'eth-0', host_dev_name: 'tap0' }],
      }),
    ).toThrow('configuration.networkOverrides[0].iface_id');
    expect(
      invalid({ ...restored, memBackend: { type: 'file', path: '/s/mem' }, drives: [] }),
    ).toThrow('configuration.drives: unknown key');
    expect(
      invalid({
        kind: 'restored-from-snapshot',
        snapshotPath: 'state',
        memBackend: { type: 'file', path: '/m' },
      }),
    ).toThrow('configuration.snapshotPath: expected an absolute path');
  });
});
