// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { existsSync, rmSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import {
  bootTo,
  configureBoot,
  REAL_FIRECRACKER,
  startFidelityVm,
  type FakeVm,
} from './support/fake-vm.js';
import { faultOf } from './support/raw-http-client.js';
import { writeFakeKernel } from '../src/testing/fake-kernel.js';

// firecracker.md sections 1 and 3: routing, ids, serde messages, deprecation and validation.

interface Case {
  readonly name: string;
  readonly method: string;
  readonly path: string;
  readonly body?: (vm: FakeVm) => unknown;
  readonly setup?: (vm: FakeVm) => Promise<void>;
  readonly booted?: boolean;
  readonly args?: readonly string[];
  readonly status: number;
  readonly fault?: string;
  readonly deprecation?: boolean;
  /** Needs a guest driver that activated the device: a VMM-level run of a real binary lacks it. */
  readonly needsGuest?: true;
}

const SERDE = 'An error occurred when deserializing the json body of a request:';

const ok = async (vm: FakeVm, method: string, path: string, body: unknown): Promise<void> => {
  const response = await vm.api(method, path, body);
  if (response.status !== 204) {
    throw new Error(`setup ${method} ${path}: ${response.raw}`);
  }
};

const files =
  (...names: string[]) =>
  async (vm: FakeVm): Promise<void> => {
    for (const name of names) {
      await (name === 'vmlinux' ? writeFakeKernel(vm.path(name)) : writeFile(vm.path(name), name));
    }
  };

const rootDrive = async (vm: FakeVm): Promise<void> => {
  await files('rootfs.ext4')(vm);
  await ok(vm, 'PUT', '/drives/rootfs', {
    drive_id: 'rootfs',
    path_on_host: vm.path('rootfs.ext4'),
    is_root_device: true,
  });
};

const ROUTING: readonly Case[] = [
  {
    name: 'unknown path',
    method: 'GET',
    path: '/foo',
    status: 400,
    fault: 'Invalid request method and/or path: GET foo.',
  },
  {
    name: 'only the first segment is echoed',
    method: 'GET',
    path: '/foo/bar',
    status: 400,
    fault: 'Invalid request method and/or path: GET foo.',
  },
  {
    name: 'wrong method on a known path',
    method: 'PATCH',
    path: '/actions',
    body: () => ({}),
    status: 400,
    fault: 'Invalid request method and/or path: PATCH actions.',
  },
  {
    name: 'DELETE on an unknown path',
    method: 'DELETE',
    path: '/vsock',
    status: 400,
    fault: 'Invalid request method and/or path: DELETE vsock.',
  },
  {
    name: 'unknown snapshot operation',
    method: 'PUT',
    path: '/snapshot/x',
    body: () => ({}),
    status: 400,
    fault: 'Invalid request method and/or path: PUT /snapshot/x.',
  },
  {
    name: 'snapshot without operation',
    method: 'PUT',
    path: '/snapshot',
    body: () => ({}),
    status: 400,
    fault: 'Missing snapshot operation type.',
  },
  {
    name: 'GET with a body',
    method: 'GET',
    path: '/',
    body: () => ({}),
    status: 400,
    fault: 'GET request cannot have a body.',
  },
  {
    name: 'GET with a body on an unknown path',
    method: 'GET',
    path: '/nope',
    body: () => ({}),
    status: 400,
    fault: 'GET request cannot have a body.',
  },
  {
    name: 'PUT without a body',
    method: 'PUT',
    path: '/machine-config',
    status: 400,
    fault: 'Empty PUT request.',
  },
  {
    name: 'PUT without a body on an unknown path',
    method: 'PUT',
    path: '/nope',
    status: 400,
    fault: 'Empty PUT request.',
  },
  {
    name: 'PATCH without a body',
    method: 'PATCH',
    path: '/machine-config',
    status: 400,
    fault: 'Empty PATCH request.',
  },
  {
    name: 'PATCH /machine-config with {}',
    method: 'PATCH',
    path: '/machine-config',
    body: () => ({}),
    status: 400,
    fault: 'Empty PATCH request.',
  },
  {
    name: 'DELETE with a body',
    method: 'DELETE',
    path: '/drives/a',
    body: () => ({}),
    status: 400,
    fault: 'Empty Delete request.',
  },
  {
    name: 'PATCH /balloon/hinting/start without a body',
    method: 'PATCH',
    path: '/balloon/hinting/start',
    status: 400,
    fault: 'The requested operation is not supported before starting the microVM.',
  },
  {
    name: 'PATCH /balloon without a body',
    method: 'PATCH',
    path: '/balloon',
    status: 400,
    fault: 'Empty PATCH request.',
  },
];

const IDS: readonly Case[] = [
  {
    name: 'drive without an id',
    method: 'PUT',
    path: '/drives',
    body: () => ({}),
    status: 400,
    fault: 'The ID cannot be empty.',
  },
  {
    name: 'drive with an empty id',
    method: 'PUT',
    path: '/drives//x',
    body: () => ({}),
    status: 400,
    fault: 'The ID cannot be empty.',
  },
  {
    name: 'hyphen in an id',
    method: 'PUT',
    path: '/drives/a-b',
    body: () => ({}),
    status: 400,
    fault: 'API Resource IDs can only contain alphanumeric characters and underscores.',
  },
  {
    name: 'percent-encoded id',
    method: 'PUT',
    path: '/drives/%C3%A9',
    body: () => ({}),
    status: 400,
    fault: 'API Resource IDs can only contain alphanumeric characters and underscores.',
  },
  {
    name: 'Unicode alphanumeric id',
    method: 'PUT',
    path: '/network-interfaces/é日本_1',
    body: () => ({ iface_id: 'é日本_1', host_dev_name: 'tap0' }),
    status: 204,
  },
  {
    name: 'drive path/body mismatch',
    method: 'PUT',
    path: '/drives/a',
    body: () => ({ drive_id: 'b', is_root_device: false }),
    status: 400,
    fault: 'The id from the path does not match the id from the body!',
  },
  {
    name: 'pmem path/body mismatch',
    method: 'PUT',
    path: '/pmem/a',
    body: () => ({ id: 'b', path_on_host: 'x' }),
    status: 400,
    fault: 'The id from the path does not match the id from the body!',
  },
  {
    name: 'net path/body mismatch',
    method: 'PUT',
    path: '/network-interfaces/a',
    body: () => ({ iface_id: 'b', host_dev_name: 't' }),
    status: 400,
    fault: 'The id from the path [a] does not match the id from the body [b]!',
  },
  {
    name: 'id is checked before the body',
    method: 'PUT',
    path: '/drives/a-b',
    body: () => '{not json',
    status: 400,
    fault: 'API Resource IDs can only contain alphanumeric characters and underscores.',
  },
];

const SERDE_CASES: readonly Case[] = [
  {
    name: 'unknown field',
    method: 'PUT',
    path: '/machine-config',
    body: () => '{"vcpu_count": 1, "mem_size_mib": 128, "x": 1}',
    status: 400,
    fault: `${SERDE} unknown field \`x\`, expected one of \`vcpu_count\`, \`mem_size_mib\`, \`smt\`, \`cpu_template\`, \`track_dirty_pages\`, \`huge_pages\` at line 1 column 42.`,
  },
  {
    name: 'missing field',
    method: 'PUT',
    path: '/boot-source',
    body: () => '{}',
    status: 400,
    fault: `${SERDE} missing field \`kernel_image_path\` at line 1 column 2.`,
  },
  {
    name: 'unknown action',
    method: 'PUT',
    path: '/actions',
    body: () => ({ action_type: 'Reboot' }),
    status: 400,
    fault: `${SERDE} unknown variant \`Reboot\`, expected one of \`FlushMetrics\`, \`InstanceStart\`, \`SendCtrlAltDel\` at line 1 column 23.`,
  },
  {
    name: 'HEAD-only huge_pages Transparent',
    method: 'PUT',
    path: '/machine-config',
    body: () => ({ vcpu_count: 1, mem_size_mib: 128, huge_pages: 'Transparent' }),
    status: 400,
    fault: `${SERDE} unknown variant \`Transparent\`, expected \`None\` or \`2M\` at line 1 column 61.`,
  },
  {
    name: 'HEAD-only huge_pages on load',
    method: 'PUT',
    path: '/snapshot/load',
    body: () => ({ snapshot_path: 's', mem_file_path: 'm', huge_pages: 'None' }),
    status: 400,
    fault: `${SERDE} unknown field \`huge_pages\`, expected one of \`snapshot_path\`, \`mem_file_path\`, \`mem_backend\`, \`enable_diff_snapshots\`, \`track_dirty_pages\`, \`resume_vm\`, \`network_overrides\`, \`vsock_override\`, \`clock_realtime\` at line 1 column 53.`,
  },
  {
    name: 'HEAD-only emit_id on metrics is ignored',
    method: 'PUT',
    path: '/metrics',
    body: (vm) => ({ metrics_path: vm.path('m.ndjson'), emit_id: true }),
    status: 204,
  },
  {
    name: 'bad MAC',
    method: 'PUT',
    path: '/network-interfaces/eth0',
    body: () => ({ iface_id: 'eth0', host_dev_name: 'tap0', guest_mac: '12:34' }),
    status: 400,
    fault: `${SERDE} The provided MAC address is invalid. at line 1 column 62.`,
  },
  {
    name: 'bad log level',
    method: 'PUT',
    path: '/logger',
    body: () => ({ level: 'Loud' }),
    status: 400,
    fault: `${SERDE} Invalid LevelFilter at line 1 column 16.`,
  },
  {
    name: 'log level is case-insensitive with Warning',
    method: 'PUT',
    path: '/logger',
    body: () => ({ level: 'warning' }),
    status: 204,
  },
  {
    name: 'u8 overflow',
    method: 'PUT',
    path: '/machine-config',
    body: () => ({ vcpu_count: 256, mem_size_mib: 128 }),
    status: 400,
    fault: `${SERDE} invalid value: integer \`256\`, expected u8 at line 1 column 17.`,
  },
  {
    name: 'not JSON',
    method: 'PUT',
    path: '/logger',
    body: () => '{"level": Info}',
    status: 400,
    fault: `${SERDE} expected value at line 1 column 11.`,
  },
  {
    name: 'trailing characters',
    method: 'PUT',
    path: '/logger',
    body: () => '{} {}',
    status: 400,
    fault: `${SERDE} trailing characters at line 1 column 4.`,
  },
  {
    name: 'load with both memory sources',
    method: 'PUT',
    path: '/snapshot/load',
    body: () => ({
      snapshot_path: 's',
      mem_file_path: 'm',
      mem_backend: { backend_type: 'File', backend_path: 'm' },
    }),
    status: 400,
    fault: `${SERDE} too many fields: either \`mem_backend\` or \`mem_file_path\` exclusively is required.`,
  },
  {
    name: 'load with no memory source',
    method: 'PUT',
    path: '/snapshot/load',
    body: () => ({ snapshot_path: 's' }),
    status: 400,
    fault: `${SERDE} missing field: either \`mem_backend\` or \`mem_file_path\` is required.`,
  },
  {
    name: 'PATCH /balloon accepts only amount_mib',
    method: 'PATCH',
    path: '/balloon',
    body: () => ({ amount_mib: 1, stats_polling_interval_s: 1 }),
    status: 400,
    fault: `${SERDE} unknown field \`stats_polling_interval_s\`, expected \`amount_mib\` at line 1 column 42.`,
  },
  {
    name: 'TokenBucket accepts unknown fields',
    method: 'PUT',
    path: '/entropy',
    body: () => ({ rate_limiter: { ops: { size: 1, refill_time: 1, extra: true } } }),
    status: 204,
  },
  {
    name: 'RateLimiter denies unknown fields',
    method: 'PUT',
    path: '/entropy',
    body: () => ({ rate_limiter: { x: 1 } }),
    status: 400,
    fault: `${SERDE} unknown field \`x\`, expected \`bandwidth\` or \`ops\` at line 1 column 20.`,
  },
  {
    name: 'x86 CPU template has no reg_modifiers',
    method: 'PUT',
    path: '/cpu-config',
    body: () => ({ reg_modifiers: [] }),
    status: 400,
    fault: `${SERDE} unknown field \`reg_modifiers\`, expected one of \`kvm_capabilities\`, \`cpuid_modifiers\`, \`msr_modifiers\` at line 1 column 16.`,
  },
  {
    name: 'MMDS body is free-form JSON',
    method: 'PUT',
    path: '/mmds',
    body: () => '[1, "two", null]',
    status: 204,
  },
];

const DEPRECATION: readonly Case[] = [
  {
    name: 'cpu_template on PUT',
    method: 'PUT',
    path: '/machine-config',
    body: () => ({ vcpu_count: 1, mem_size_mib: 128, cpu_template: 'None' }),
    status: 204,
    deprecation: true,
  },
  {
    name: 'cpu_template on PATCH',
    method: 'PATCH',
    path: '/machine-config',
    body: () => ({ cpu_template: 'T2' }),
    status: 204,
    deprecation: true,
  },
  {
    name: 'no cpu_template',
    method: 'PUT',
    path: '/machine-config',
    body: () => ({ vcpu_count: 1, mem_size_mib: 128 }),
    status: 204,
    deprecation: false,
  },
  {
    name: 'vsock_id',
    method: 'PUT',
    path: '/vsock',
    body: (vm) => ({ vsock_id: 'v', guest_cid: 3, uds_path: vm.path('v.sock') }),
    status: 204,
    deprecation: true,
  },
  {
    name: 'MMDS V1',
    method: 'PUT',
    path: '/mmds/config',
    setup: (vm) =>
      ok(vm, 'PUT', '/network-interfaces/eth0', { iface_id: 'eth0', host_dev_name: 'tap0' }),
    body: () => ({ network_interfaces: ['eth0'], version: 'V1' }),
    status: 204,
    deprecation: true,
  },
  {
    name: 'MMDS without version (defaults to V1)',
    method: 'PUT',
    path: '/mmds/config',
    setup: (vm) =>
      ok(vm, 'PUT', '/network-interfaces/eth0', { iface_id: 'eth0', host_dev_name: 'tap0' }),
    body: () => ({ network_interfaces: ['eth0'] }),
    status: 204,
    deprecation: true,
  },
  {
    name: 'MMDS V2',
    method: 'PUT',
    path: '/mmds/config',
    setup: (vm) =>
      ok(vm, 'PUT', '/network-interfaces/eth0', { iface_id: 'eth0', host_dev_name: 'tap0' }),
    body: () => ({ network_interfaces: ['eth0'], version: 'V2' }),
    status: 204,
    deprecation: false,
  },
  {
    name: 'mem_file_path on load, even when the load fails',
    method: 'PUT',
    path: '/snapshot/load',
    setup: (vm) => ok(vm, 'PUT', '/logger', {}),
    body: () => ({ snapshot_path: 's', mem_file_path: 'm' }),
    booted: true,
    status: 400,
    fault: 'The requested operation is not supported after starting the microVM.',
    deprecation: true,
  },
  {
    name: 'enable_diff_snapshots true',
    method: 'PUT',
    path: '/snapshot/load',
    body: () => ({
      snapshot_path: 's',
      mem_backend: { backend_type: 'File', backend_path: 'm' },
      enable_diff_snapshots: true,
    }),
    booted: true,
    status: 400,
    fault: 'The requested operation is not supported after starting the microVM.',
    deprecation: true,
  },
  {
    name: 'enable_diff_snapshots false',
    method: 'PUT',
    path: '/snapshot/load',
    body: () => ({
      snapshot_path: 's',
      mem_backend: { backend_type: 'File', backend_path: 'm' },
      enable_diff_snapshots: false,
    }),
    booted: true,
    status: 400,
    fault: 'The requested operation is not supported after starting the microVM.',
    deprecation: false,
  },
];

const VALIDATION: readonly Case[] = [
  {
    name: '0 vCPUs',
    method: 'PUT',
    path: '/machine-config',
    body: () => ({ vcpu_count: 0, mem_size_mib: 128 }),
    status: 400,
    fault:
      'Machine config error: The number of vCPUs must be greater than 0, less than 32 and must be 1 or an even number if SMT is enabled.',
  },
  {
    name: '33 vCPUs',
    method: 'PUT',
    path: '/machine-config',
    body: () => ({ vcpu_count: 33, mem_size_mib: 128 }),
    status: 400,
    fault:
      'Machine config error: The number of vCPUs must be greater than 0, less than 32 and must be 1 or an even number if SMT is enabled.',
  },
  {
    name: '32 vCPUs',
    method: 'PUT',
    path: '/machine-config',
    body: () => ({ vcpu_count: 32, mem_size_mib: 128 }),
    status: 204,
  },
  {
    name: 'SMT with 3 vCPUs',
    method: 'PUT',
    path: '/machine-config',
    body: () => ({ vcpu_count: 3, mem_size_mib: 128, smt: true }),
    status: 400,
    fault:
      'Machine config error: The number of vCPUs must be greater than 0, less than 32 and must be 1 or an even number if SMT is enabled.',
  },
  {
    name: '0 MiB',
    method: 'PUT',
    path: '/machine-config',
    body: () => ({ vcpu_count: 1, mem_size_mib: 0 }),
    status: 400,
    fault:
      'Machine config error: The memory size (MiB) is either 0, or not a multiple of the configured page size.',
  },
  {
    name: '2M pages with odd MiB',
    method: 'PUT',
    path: '/machine-config',
    body: () => ({ vcpu_count: 1, mem_size_mib: 129, huge_pages: '2M' }),
    status: 400,
    fault:
      'Machine config error: The memory size (MiB) is either 0, or not a multiple of the configured page size.',
  },
  {
    name: 'memory below the balloon',
    method: 'PATCH',
    path: '/machine-config',
    setup: (vm) => ok(vm, 'PUT', '/balloon', { amount_mib: 100, deflate_on_oom: false }),
    body: () => ({ mem_size_mib: 64 }),
    status: 400,
    fault:
      'Machine config error: The memory size (MiB) is smaller than the previously set balloon device target size.',
  },
  {
    name: 'balloon above memory',
    method: 'PUT',
    path: '/balloon',
    body: () => ({ amount_mib: 129, deflate_on_oom: false }),
    status: 400,
    fault: 'Balloon config error: Amount of pages requested is too large.',
  },
  {
    name: 'kernel missing',
    method: 'PUT',
    path: '/boot-source',
    body: (vm) => ({ kernel_image_path: vm.path('nope') }),
    status: 400,
    fault:
      'Boot source error: The kernel file cannot be opened: No such file or directory (os error 2)',
  },
  {
    name: 'initrd missing',
    method: 'PUT',
    path: '/boot-source',
    setup: files('vmlinux'),
    body: (vm) => ({ kernel_image_path: vm.path('vmlinux'), initrd_path: vm.path('nope') }),
    status: 400,
    fault:
      'Boot source error: The initrd file cannot be opened due to invalid path or invalid permissions. No such file or directory (os error 2)',
  },
  {
    name: '2047 bytes of boot_args',
    method: 'PUT',
    path: '/boot-source',
    setup: files('vmlinux'),
    body: (vm) => ({ kernel_image_path: vm.path('vmlinux'), boot_args: 'a'.repeat(2047) }),
    status: 204,
  },
  {
    name: '2048 bytes of boot_args',
    method: 'PUT',
    path: '/boot-source',
    setup: files('vmlinux'),
    body: (vm) => ({ kernel_image_path: vm.path('vmlinux'), boot_args: 'a'.repeat(2048) }),
    status: 400,
    // The real binary's wording: Cmdline::try_from checks the capacity first.
    fault:
      'Boot source error: The kernel command line is invalid: Invalid cmdline capacity provided.',
  },
  {
    // The real v1.16.1 binary takes tabs, control characters and non-ASCII text as they are.
    name: 'boot_args with a tab, a control character and non-ASCII text',
    method: 'PUT',
    path: '/boot-source',
    setup: files('vmlinux'),
    body: (vm) => ({
      kernel_image_path: vm.path('vmlinux'),
      boot_args: 'console=ttyS0\tquiet\u0001 é',
    }),
    status: 204,
  },
  {
    name: 'a second root drive',
    method: 'PUT',
    path: '/drives/other',
    setup: async (vm) => {
      await rootDrive(vm);
      await files('other.img')(vm);
    },
    body: (vm) => ({ drive_id: 'other', path_on_host: vm.path('other.img'), is_root_device: true }),
    status: 400,
    fault: 'Drive config error: A root block device already exists!',
  },
  {
    name: 'replacing the root drive',
    method: 'PUT',
    path: '/drives/rootfs',
    setup: rootDrive,
    body: (vm) => ({
      drive_id: 'rootfs',
      path_on_host: vm.path('rootfs.ext4'),
      is_root_device: true,
      is_read_only: true,
    }),
    status: 204,
  },
  {
    name: 'neither file nor socket',
    method: 'PUT',
    path: '/drives/d',
    body: () => ({ drive_id: 'd', is_root_device: false }),
    status: 400,
    fault: 'Drive config error: Unable to create the virtio block device: Invalid block config.',
  },
  {
    name: 'both file and socket',
    method: 'PUT',
    path: '/drives/d',
    body: () => ({ drive_id: 'd', is_root_device: false, path_on_host: 'x', socket: 'y' }),
    status: 400,
    fault: 'Drive config error: Unable to create the virtio block device: Invalid block config.',
  },
  {
    name: 'vhost-user with is_read_only',
    method: 'PUT',
    path: '/drives/d',
    body: () => ({ drive_id: 'd', is_root_device: false, socket: 'y', is_read_only: false }),
    status: 400,
    fault: 'Drive config error: Unable to create the virtio block device: Invalid block config.',
  },
  {
    name: 'drive file missing',
    method: 'PUT',
    path: '/drives/d',
    body: () => ({ drive_id: 'd', is_root_device: false, path_on_host: '/nonexistent/disk.img' }),
    status: 400,
    fault:
      'Drive config error: Unable to create the virtio block device: Virtio backend error: Error manipulating the backing file: No such file or directory (os error 2) /nonexistent/disk.img',
  },
  {
    name: 'block root over a pmem root',
    method: 'PUT',
    path: '/drives/rootfs',
    setup: async (vm) => {
      await ok(vm, 'PUT', '/pmem/pm0', { id: 'pm0', path_on_host: 'x', root_device: true });
      await files('rootfs.ext4')(vm);
    },
    body: (vm) => ({
      drive_id: 'rootfs',
      path_on_host: vm.path('rootfs.ext4'),
      is_root_device: true,
    }),
    status: 400,
    fault:
      'Drive config error: Attempt to add block as a root device while the root device defined as a pmem device',
  },
  {
    name: 'pmem root over a block root',
    method: 'PUT',
    path: '/pmem/pm0',
    setup: rootDrive,
    body: () => ({ id: 'pm0', path_on_host: 'x', root_device: true }),
    status: 400,
    fault:
      'Pmem config error: Attempt to add pmem as a root device while the root device defined as a block device',
  },
  {
    name: 'a second pmem root',
    method: 'PUT',
    path: '/pmem/pm1',
    setup: (vm) => ok(vm, 'PUT', '/pmem/pm0', { id: 'pm0', path_on_host: 'x', root_device: true }),
    body: () => ({ id: 'pm1', path_on_host: 'y', root_device: true }),
    status: 400,
    fault: 'Pmem config error: A root pmem device already exist',
  },
  {
    name: 'MAC already in use (reported lower-case)',
    method: 'PUT',
    path: '/network-interfaces/eth1',
    setup: (vm) =>
      ok(vm, 'PUT', '/network-interfaces/eth0', {
        iface_id: 'eth0',
        host_dev_name: 'tap0',
        guest_mac: 'AA:FC:00:00:00:01',
      }),
    body: () => ({ iface_id: 'eth1', host_dev_name: 'tap1', guest_mac: 'aa:fc:00:00:00:01' }),
    status: 400,
    fault: 'Network config error: The MAC address is already in use: aa:fc:00:00:00:01',
  },
  {
    name: 'MTU out of range',
    method: 'PUT',
    path: '/network-interfaces/eth0',
    body: () => ({ iface_id: 'eth0', host_dev_name: 'tap0', mtu: 50 }),
    status: 400,
    fault:
      'Network config error: Could not create the network device: MTU 50 is out of range [68, 65535]',
  },
  {
    name: 'TAP name too long (checked before the MTU)',
    method: 'PUT',
    path: '/network-interfaces/eth0',
    body: () => ({ iface_id: 'eth0', host_dev_name: 'tap-name-too-long', mtu: 50 }),
    status: 400,
    fault:
      'Network config error: Could not create the network device: Open tap device failed: Invalid interface name',
  },
  {
    name: 'guest_cid 0 is accepted',
    method: 'PUT',
    path: '/vsock',
    body: (vm) => ({ guest_cid: 0, uds_path: vm.path('v.sock') }),
    status: 204,
  },
  {
    name: 'vsock socket already exists',
    method: 'PUT',
    path: '/vsock',
    setup: files('v.sock'),
    body: (vm) => ({ guest_cid: 3, uds_path: vm.path('v.sock') }),
    status: 400,
    fault:
      'Vsock config error: Cannot create backend for vsock device: Error binding to the host-side Unix socket: Address in use (os error 98)',
  },
  {
    name: 'hotplug block below 2',
    method: 'PUT',
    path: '/hotplug/memory',
    body: () => ({ total_size_mib: 1024, block_size_mib: 1 }),
    status: 400,
    fault: 'Memory hotplug config error: Block size must not be lower than 2 MiB',
  },
  {
    name: 'hotplug block not a power of 2',
    method: 'PUT',
    path: '/hotplug/memory',
    body: () => ({ total_size_mib: 1024, block_size_mib: 6 }),
    status: 400,
    fault: 'Memory hotplug config error: Block size must be a power of 2',
  },
  {
    name: 'hotplug slot below 128',
    method: 'PUT',
    path: '/hotplug/memory',
    body: () => ({ total_size_mib: 1024, slot_size_mib: 64 }),
    status: 400,
    fault: 'Memory hotplug config error: Slot size must not be lower than 128 MiB',
  },
  {
    name: 'hotplug slot not a multiple of block',
    method: 'PUT',
    path: '/hotplug/memory',
    body: () => ({ total_size_mib: 1024, block_size_mib: 256, slot_size_mib: 384 }),
    status: 400,
    fault: 'Memory hotplug config error: Slot size must be a multiple of block size (256 MiB)',
  },
  {
    name: 'hotplug total below slot',
    method: 'PUT',
    path: '/hotplug/memory',
    body: () => ({ total_size_mib: 64 }),
    status: 400,
    fault: 'Memory hotplug config error: Total size must not be lower than slot size (128 MiB)',
  },
  {
    name: 'hotplug total not a multiple of slot',
    method: 'PUT',
    path: '/hotplug/memory',
    body: () => ({ total_size_mib: 200 }),
    status: 400,
    fault: 'Memory hotplug config error: Total size must be a multiple of slot size (128 MiB)',
  },
  {
    name: 'hotplug request not a multiple of block',
    method: 'PATCH',
    path: '/hotplug/memory',
    setup: (vm) => ok(vm, 'PUT', '/hotplug/memory', { total_size_mib: 1024 }),
    booted: true,
    body: () => ({ requested_size_mib: 3 }),
    status: 400,
    fault:
      'Memory hotplug update error: Failed to create memory hotplug device: Size 3145728 is invalid: it must be a multiple of block size and less than the total size',
    needsGuest: true,
  },
  {
    name: 'MMDS list empty',
    method: 'PUT',
    path: '/mmds/config',
    body: () => ({ network_interfaces: [], version: 'V2' }),
    status: 400,
    fault:
      'MMMDS config error: The list of network interface IDs that allow forwarding MMDS requests is empty.',
  },
  {
    name: 'MMDS unknown interface',
    method: 'PUT',
    path: '/mmds/config',
    body: () => ({ network_interfaces: ['eth9'], version: 'V2' }),
    status: 400,
    fault:
      'MMMDS config error: The list of network interface IDs provided contains at least one ID that does not correspond to any existing network interface.',
  },
  {
    name: 'MMDS address not link local (checked first)',
    method: 'PUT',
    path: '/mmds/config',
    body: () => ({ network_interfaces: [], version: 'V2', ipv4_address: '169.254.0.1' }),
    status: 400,
    fault: 'MMMDS config error: The MMDS IPv4 address is not link local.',
  },
  {
    name: 'metrics twice',
    method: 'PUT',
    path: '/metrics',
    args: ['--metrics-path', '/dev/null'],
    body: (vm) => ({ metrics_path: vm.path('m2.ndjson') }),
    status: 400,
    fault:
      'Metrics error: Cannot initialize the metrics system due to bad user input: Reinitialization of metrics not allowed.',
  },
  {
    name: 'balloon stats off cannot be turned on',
    method: 'PATCH',
    path: '/balloon/statistics',
    setup: (vm) => ok(vm, 'PUT', '/balloon', { amount_mib: 1, deflate_on_oom: false }),
    booted: true,
    body: () => ({ stats_polling_interval_s: 5 }),
    status: 400,
    fault: 'Balloon update error: Balloon: Statistics cannot be enabled/disabled after activation.',
  },
  {
    name: 'balloon stats disabled',
    method: 'GET',
    path: '/balloon/statistics',
    setup: (vm) => ok(vm, 'PUT', '/balloon', { amount_mib: 1, deflate_on_oom: false }),
    booted: true,
    status: 400,
    fault: 'Internal VMM error: Balloon: Received stats query when stats are disabled.',
  },
  {
    name: 'balloon above guest memory',
    method: 'PATCH',
    path: '/balloon',
    setup: (vm) => ok(vm, 'PUT', '/balloon', { amount_mib: 1, deflate_on_oom: false }),
    booted: true,
    body: () => ({ amount_mib: 500 }),
    status: 400,
    fault: 'Balloon update error: Balloon: Requested memory should be less than 500MiB',
    needsGuest: true,
  },
  {
    name: 'hinting not enabled',
    method: 'PATCH',
    path: '/balloon/hinting/start',
    setup: (vm) => ok(vm, 'PUT', '/balloon', { amount_mib: 1, deflate_on_oom: false }),
    booted: true,
    status: 400,
    fault: 'Balloon update error: Balloon: Attempting to use hinting when not enabled',
  },
  {
    name: 'virtio drive PATCH without fields',
    method: 'PATCH',
    path: '/drives/rootfs',
    booted: true,
    body: () => ({ drive_id: 'rootfs' }),
    status: 400,
    fault:
      'Drive config error: Unable to patch the block device: Block: Running method expected different backend. Please verify the request arguments.',
  },
  {
    name: 'hotplug with --enable-pci',
    method: 'PUT',
    path: '/drives/data',
    args: ['--enable-pci'],
    setup: files('data.img'),
    booted: true,
    body: (vm) => ({ drive_id: 'data', path_on_host: vm.path('data.img'), is_root_device: false }),
    status: 204,
  },
  {
    name: 'hotplug of an id in use',
    method: 'PUT',
    path: '/drives/rootfs',
    args: ['--enable-pci'],
    booted: true,
    body: (vm) => ({
      drive_id: 'rootfs',
      path_on_host: vm.path('rootfs.ext4'),
      is_root_device: false,
    }),
    status: 400,
    fault: 'Device ID in use',
  },
  {
    name: 'hot-unplug of the root drive',
    method: 'DELETE',
    path: '/drives/rootfs',
    args: ['--enable-pci'],
    booted: true,
    status: 400,
    fault: 'Cannot unplug root device',
  },
  {
    name: 'hot-unplug of a missing drive',
    method: 'DELETE',
    path: '/drives/nope',
    args: ['--enable-pci'],
    booted: true,
    status: 400,
    fault: 'Device not found',
  },
];

interface Observed {
  readonly status: number;
  readonly fault?: string;
  readonly deprecation?: boolean;
}

/** Runs a case on a fresh fake and reports what the case checks. */
const observe = async (entry: Case): Promise<Observed> => {
  await using vm = await startFidelityVm({ args: entry.args ?? [] });
  if (entry.booted === true) {
    await configureBoot(vm);
  }
  await entry.setup?.(vm);
  if (entry.booted === true) {
    await bootTo(vm, 'Running');
  }
  const response = await vm.api(entry.method, entry.path, entry.body?.(vm));
  return {
    status: response.status,
    ...(entry.fault === undefined ? {} : { fault: faultOf(response) }),
    ...(entry.deprecation === undefined
      ? {}
      : { deprecation: response.header('Deprecation') === 'true' }),
  };
};

const expectedOf = (entry: Case): Observed => ({
  status: entry.status,
  ...(entry.fault === undefined ? {} : { fault: entry.fault }),
  ...(entry.deprecation === undefined ? {} : { deprecation: entry.deprecation }),
});

describe('routing', () => {
  it.each(ROUTING)('$name', async (entry) => {
    expect(await observe(entry)).toEqual(expectedOf(entry));
  });
});

describe('resource ids', () => {
  it.each(IDS)('$name', async (entry) => {
    expect(await observe(entry)).toEqual(expectedOf(entry));
  });
});

describe('serde messages', () => {
  it.each(SERDE_CASES)('$name', async (entry) => {
    expect(await observe(entry)).toEqual(expectedOf(entry));
  });
});

describe('Deprecation: true', () => {
  it.each(DEPRECATION)('$name', async (entry) => {
    expect(await observe(entry)).toEqual(expectedOf(entry));
  });
});

describe('validation messages', () => {
  it.skipIf(REAL_FIRECRACKER !== undefined).each(VALIDATION.filter((entry) => entry.needsGuest))(
    '$name (skipped on a real binary: needs a running guest to activate the device)',
    async (entry) => {
      expect(await observe(entry)).toEqual(expectedOf(entry));
    },
  );
  it.each(VALIDATION.filter((entry) => !entry.needsGuest))('$name', async (entry) => {
    expect(await observe(entry)).toEqual(expectedOf(entry));
  });
});

describe('resources that change', () => {
  it('replaces an interface in place as Vec::swap_remove does, and loses its MMDS attachment', async () => {
    await using vm = await startFidelityVm();
    for (const id of ['a', 'b', 'c']) {
      await ok(vm, 'PUT', `/network-interfaces/${id}`, { iface_id: id, host_dev_name: `tap${id}` });
    }
    await ok(vm, 'PUT', '/mmds/config', { network_interfaces: ['a'], version: 'V2' });
    await ok(vm, 'PUT', '/network-interfaces/a', {
      iface_id: 'a',
      host_dev_name: 'tapz',
      guest_mac: 'AA:FC:0:1:2:3'.replace('0:1:2:3', '00:01:02:03'),
    });
    const config = JSON.parse((await vm.api('GET', '/vm/config')).body) as Record<
      string,
      { iface_id: string; guest_mac: string | null }[]
    >;
    expect(config['network-interfaces']?.map((net) => net.iface_id)).toEqual(['c', 'b', 'a']);
    expect(config['network-interfaces']?.[2]?.guest_mac).toBe('aa:fc:00:01:02:03');
  });

  it('keeps cpu_template on a PUT that omits it, and resets smt and track_dirty_pages', async () => {
    await using vm = await startFidelityVm();
    await ok(vm, 'PUT', '/machine-config', {
      vcpu_count: 2,
      mem_size_mib: 256,
      smt: true,
      track_dirty_pages: true,
      cpu_template: 'T2S',
    });
    await ok(vm, 'PUT', '/machine-config', { vcpu_count: 4, mem_size_mib: 512 });
    expect((await vm.api('GET', '/machine-config')).body).toBe(
      '{"vcpu_count":4,"mem_size_mib":512,"smt":false,"cpu_template":"T2S","track_dirty_pages":false,"huge_pages":"None"}',
    );
    await ok(vm, 'PATCH', '/machine-config', { smt: true });
    await ok(vm, 'PATCH', '/machine-config', { cpu_template: 'None' });
    expect((await vm.api('GET', '/machine-config')).body).toBe(
      '{"vcpu_count":4,"mem_size_mib":512,"smt":true,"track_dirty_pages":false,"huge_pages":"None"}',
    );
  });

  it('reports an unset boot source as an empty object and absent devices as null or []', async () => {
    await using vm = await startFidelityVm();
    expect((await vm.api('GET', '/vm/config')).body).toBe(
      '{"balloon":null,"drives":[],"boot-source":{"kernel_image_path":"","initrd_path":null,"boot_args":null},"cpu-config":null,"logger":null,"machine-config":{"vcpu_count":1,"mem_size_mib":128,"smt":false,"track_dirty_pages":false,"huge_pages":"None"},"metrics":null,"mmds-config":null,"network-interfaces":[],"vsock":null,"entropy":null,"pmem":[],"memory-hotplug":null}',
    );
  });

  it('deletes the old vsock socket on a second PUT, and fails if it is already gone', async () => {
    await using vm = await startFidelityVm();
    await ok(vm, 'PUT', '/vsock', { guest_cid: 3, uds_path: vm.path('a.sock') });
    await ok(vm, 'PUT', '/vsock', { guest_cid: 3, uds_path: vm.path('b.sock') });
    expect(existsSync(vm.path('a.sock'))).toBe(false);
    expect(existsSync(vm.path('b.sock'))).toBe(true);
    rmSync(vm.path('b.sock'));
    const response = await vm.api('PUT', '/vsock', { guest_cid: 3, uds_path: vm.path('c.sock') });
    expect(faultOf(response)).toBe(
      'Vsock config error: Cannot create backend for vsock device: Error binding to the host-side Unix socket: No such file or directory (os error 2)',
    );
  });
});

describe('MMDS data store', () => {
  it('merges RFC 7396 patches and prints keys sorted, floats as serde_json does', async () => {
    await using vm = await startFidelityVm();
    expect((await vm.api('GET', '/mmds')).body).toBe('{}');
    await ok(vm, 'PUT', '/mmds', '{"z": 1.0, "a": {"b": 1, "c": [1, 2]}}');
    await ok(vm, 'PATCH', '/mmds', '{"a": {"b": null, "d": "x"}, "m": true}');
    expect((await vm.api('GET', '/mmds')).body).toBe('{"a":{"c":[1,2],"d":"x"},"m":true,"z":1.0}');
  });

  it('answers 413 when a PUT or a PATCH would exceed --mmds-size-limit', async () => {
    await using vm = await startFidelityVm({ args: ['--mmds-size-limit', '20'] });
    await ok(vm, 'PUT', '/mmds', { a: '1234567890' });
    const put = await vm.api('PUT', '/mmds', { a: '12345678901234567890' });
    const patch = await vm.api('PATCH', '/mmds', { b: '1234567890' });
    for (const response of [put, patch]) {
      expect(response.status).toBe(413);
      expect(response.body).toBe(
        '{"fault_message":"MMDS limit exceeded error: The MMDS patch request doesn\'t fit."}',
      );
    }
    expect((await vm.api('GET', '/mmds')).body).toBe('{"a":"1234567890"}');
  });

  it('serves the data post-boot once MMDS is attached to an interface', async () => {
    await using vm = await startFidelityVm();
    await configureBoot(vm);
    await ok(vm, 'PUT', '/network-interfaces/eth0', { iface_id: 'eth0', host_dev_name: 'tap0' });
    await ok(vm, 'PUT', '/mmds/config', { network_interfaces: ['eth0'], version: 'V2' });
    await ok(vm, 'PUT', '/mmds', { latest: { 'meta-data': { id: 1 } } });
    await bootTo(vm, 'Running');
    await ok(vm, 'PATCH', '/mmds', { latest: { 'meta-data': { id: 2 } } });
    expect((await vm.api('GET', '/mmds')).body).toBe('{"latest":{"meta-data":{"id":2}}}');
  });
});
