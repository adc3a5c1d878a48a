// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { describe, expect, it } from 'vitest';
import type { ResolvedVmConfiguration } from './configuration.js';
import { listConfigurationFiles, mapConfigurationFiles } from './configuration-files.js';

const moved = { kind: 'moved', method: 'hard-link-or-copy' } as const;

describe('listConfigurationFiles', () => {
  it('lists every path of a new VM with its resource type', () => {
    const configuration: ResolvedVmConfiguration = {
      kind: 'new-via-config-file',
      configFilePath: '/tmp/config.json',
      bootSource: { kernel_image_path: '/img/vmlinux', initrd_path: '/img/initrd' },
      drives: [
        { drive_id: 'root', is_root_device: true, path_on_host: '/img/root.ext4' },
        { drive_id: 'vhost', is_root_device: false, socket: '/run/vhost.sock' },
      ],
      pmem: [{ id: 'pm', path_on_host: '/img/pm' }],
      vsock: { guest_cid: 3, uds_path: '/run/v.sock' },
      logger: { log_path: '/logs/fc.log' },
      metrics: { metrics_path: '/logs/fc.metrics' },
      fifos: { metrics: true },
    };
    expect(listConfigurationFiles(configuration, 'hard-link-or-copy')).toEqual([
      { field: 'bootSource.kernel_image_path', path: '/img/vmlinux', type: moved },
      { field: 'bootSource.initrd_path', path: '/img/initrd', type: moved },
      { field: 'drives[0].path_on_host', path: '/img/root.ext4', type: moved },
      { field: 'pmem[0].path_on_host', path: '/img/pm', type: moved },
      { field: 'vsock.uds_path', path: '/run/v.sock', type: { kind: 'produced' } },
      {
        field: 'logger.log_path',
        path: '/logs/fc.log',
        type: { kind: 'created', fileType: 'file' },
      },
      {
        field: 'metrics.metrics_path',
        path: '/logs/fc.metrics',
        type: { kind: 'created', fileType: 'fifo' },
      },
      {
        field: 'configFilePath',
        path: '/tmp/config.json',
        type: { kind: 'created', fileType: 'file' },
      },
    ]);
  });

  it('lists a restored VM’s files; the recorded vsock path only without an override', () => {
    const restored: ResolvedVmConfiguration = {
      kind: 'restored-from-snapshot',
      snapshotPath: '/s/state',
      memBackend: { type: 'uffd', socketPath: '/s/uffd.sock' },
      deviceFiles: [{ hostPath: '/img/root.ext4', virtualPath: '/root.ext4' }],
      snapshotVsockPath: '/v.sock',
      serial: { serial_out_path: '/serial' },
      fifos: { serial: true },
    };
    expect(listConfigurationFiles(restored, 'copy')).toEqual([
      {
        field: 'serial.serial_out_path',
        path: '/serial',
        type: { kind: 'created', fileType: 'fifo' },
      },
      { field: 'snapshotPath', path: '/s/state', type: { kind: 'moved', method: 'copy' } },
      {
        field: 'memBackend.socketPath',
        path: '/s/uffd.sock',
        type: { kind: 'moved', method: 'hard-link' },
      },
      {
        field: 'deviceFiles[0].hostPath',
        path: '/img/root.ext4',
        type: { kind: 'moved', method: 'copy' },
      },
      { field: 'snapshotVsockPath', path: '/v.sock', type: { kind: 'produced' } },
    ]);
    const overridden = listConfigurationFiles(
      { ...restored, vsockOverride: { uds_path: '/v2.sock' } },
      'copy',
    );
    expect(overridden.map((file) => file.field)).toContain('vsockOverride.uds_path');
    expect(overridden.map((file) => file.field)).not.toContain('snapshotVsockPath');
  });
});

describe('mapConfigurationFiles', () => {
  it('puts the mapped path in place of each resource path and leaves the rest', () => {
    const mapped = mapConfigurationFiles(
      {
        kind: 'new-via-api',
        bootSource: { kernel_image_path: '/img/vmlinux', boot_args: 'console=ttyS0' },
        drives: [
          {
            drive_id: 'root',
            is_root_device: true,
            path_on_host: '/img/root.ext4',
            is_read_only: true,
          },
        ],
        serial: { serial_out_path: '/out/serial' },
      },
      'copy',
      (file) => `/jail${file.path}`,
    );
    expect(mapped).toEqual({
      kind: 'new-via-api',
      bootSource: { kernel_image_path: '/jail/img/vmlinux', boot_args: 'console=ttyS0' },
      drives: [
        {
          drive_id: 'root',
          is_root_device: true,
          path_on_host: '/jail/img/root.ext4',
          is_read_only: true,
        },
      ],
      serial: { serial_out_path: '/jail/out/serial' },
    });
  });

  it('maps a restored file backend and device files', () => {
    const mapped = mapConfigurationFiles(
      {
        kind: 'restored-from-snapshot',
        snapshotPath: '/s/state',
        memBackend: { type: 'file', path: '/s/mem' },
        deviceFiles: [{ hostPath: '/img/root.ext4', virtualPath: '/root.ext4' }],
      },
      'copy',
      (file) => file.path.toUpperCase(),
    );
    expect(mapped).toMatchObject({
      snapshotPath: '/S/STATE',
      memBackend: { type: 'file', path: '/S/MEM' },
      deviceFiles: [{ hostPath: '/IMG/ROOT.EXT4', virtualPath: '/root.ext4' }],
    });
  });
});
