// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { once } from 'node:events';
import { open, readFile, stat, writeFile } from 'node:fs/promises';
import { createServer, type Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { readStateFile } from '../src/snapshot/state-file.js';
import { bootTo, configureBoot, startFakeVm, type FakeVm } from './support/fake-vm.js';
import { faultOf } from './support/raw-http-client.js';
import { vsockConnect } from './support/vsock-client.js';

// firecracker.md sections 2 (snapshot rules), 3 (create/load parameters) and 9 (vsock across snapshots).

const MIB = 1024 * 1024;

const ok = async (vm: FakeVm, method: string, path: string, body?: unknown): Promise<void> => {
  const response = await vm.api(method, path, body);
  expect(response.status, response.raw).toBe(204);
};

/** A paused VM with 256 MiB, a root drive, eth0 (MMDS-enabled) and a vsock. */
const pausedVm = async (): Promise<FakeVm> => {
  const vm = await startFakeVm();
  await configureBoot(vm);
  await ok(vm, 'PUT', '/machine-config', {
    vcpu_count: 2,
    mem_size_mib: 256,
    track_dirty_pages: true,
  });
  await ok(vm, 'PUT', '/network-interfaces/eth0', {
    iface_id: 'eth0',
    host_dev_name: 'tap0',
    guest_mac: '06:00:00:00:00:01',
  });
  await ok(vm, 'PUT', '/mmds/config', { network_interfaces: ['eth0'], version: 'V2' });
  await ok(vm, 'PUT', '/mmds', { secret: 'not in the snapshot' });
  await ok(vm, 'PUT', '/vsock', { guest_cid: 3, uds_path: vm.path('v.sock') });
  await bootTo(vm, 'Running');
  await vm.waitForStdout('kindling-fake-guest: ready');
  await ok(vm, 'PATCH', '/vm', { state: 'Paused' });
  return vm;
};

const firstPage = async (path: string): Promise<string> => {
  await using file = await open(path, 'r');
  const page = Buffer.alloc(4096);
  await file.read(page, 0, 4096, 0);
  return page.toString('utf8').replace(/\0+$/u, '');
};

describe('PUT /snapshot/create', () => {
  it('writes a state file recording the configuration and a sparse memory file of mem_size_mib', async () => {
    await using vm = await pausedVm();
    await ok(vm, 'PUT', '/snapshot/create', {
      snapshot_path: vm.path('vm.state'),
      mem_file_path: vm.path('vm.mem'),
    });
    const { version, state } = await readStateFile(vm.path('vm.state'));
    expect(version).toBe('v10.0.0');
    expect(state).toMatchObject({ arch: 'x86_64', snapshotType: 'Full', memSizeMib: 256 });
    expect(state.vcpus).toHaveLength(2);
    expect(state.vmConfig['machine-config']).toMatchObject({ vcpu_count: 2, mem_size_mib: 256 });
    expect(JSON.stringify(state)).not.toContain('not in the snapshot');
    const memory = await stat(vm.path('vm.mem'));
    expect(memory.size).toBe(256 * MIB);
    expect(memory.blocks * 512).toBeLessThan(MIB);
    expect(await firstPage(vm.path('vm.mem'))).toBe('');
  });

  it('writes only the dirty page for a Diff, keeping a same-size file', async () => {
    await using vm = await pausedVm();
    await ok(vm, 'PUT', '/snapshot/create', {
      snapshot_path: vm.path('full.state'),
      mem_file_path: vm.path('vm.mem'),
    });
    await ok(vm, 'PATCH', '/vm', { state: 'Resumed' });
    await ok(vm, 'PATCH', '/vm', { state: 'Paused' });
    await ok(vm, 'PUT', '/snapshot/create', {
      snapshot_type: 'Diff',
      snapshot_path: vm.path('diff.state'),
      mem_file_path: vm.path('diff.mem'),
    });
    expect((await readStateFile(vm.path('diff.state'))).state.snapshotType).toBe('Diff');
    expect((await stat(vm.path('diff.mem'))).size).toBe(256 * MIB);
    expect(await firstPage(vm.path('diff.mem'))).toBe('kindling-fake-vmm dirty page 2\n');
  });

  it.each([
    [
      'snapshot_path',
      'Create snapshot error: Cannot perform open on the snapshot backing file: No such file or directory (os error 2)',
    ],
    [
      'mem_file_path',
      'Create snapshot error: Cannot perform open on the memory backing file: No such file or directory (os error 2)',
    ],
  ])('reports a %s in a missing folder', async (field, message) => {
    await using vm = await pausedVm();
    const body = {
      snapshot_path: vm.path('s'),
      mem_file_path: vm.path('m'),
      [field]: vm.path('missing/x'),
    };
    expect(faultOf(await vm.api('PUT', '/snapshot/create', body))).toBe(message);
    expect((await vm.api('GET', '/')).status).toBe(200);
  });

  it('refuses a VM with a vhost-user drive', async () => {
    await using vm = await startFakeVm();
    await configureBoot(vm);
    await writeFile(vm.path('vhost.sock'), '');
    await ok(vm, 'PUT', '/drives/vhost', {
      drive_id: 'vhost',
      is_root_device: false,
      socket: vm.path('vhost.sock'),
    });
    await bootTo(vm, 'Paused');
    const response = await vm.api('PUT', '/snapshot/create', {
      snapshot_path: vm.path('s'),
      mem_file_path: vm.path('m'),
    });
    expect(faultOf(response)).toBe(
      'Create snapshot error: Cannot save the microVM state: Devices without snapshot support are present: vhost-user-block(id: vhost)',
    );
  });
});

/** Snapshots a paused VM into its folder. */
const snapshotOf = async (vm: FakeVm): Promise<{ state: string; mem: string }> => {
  await ok(vm, 'PUT', '/snapshot/create', {
    snapshot_path: vm.path('vm.state'),
    mem_file_path: vm.path('vm.mem'),
  });
  return { state: vm.path('vm.state'), mem: vm.path('vm.mem') };
};

describe('PUT /snapshot/load', () => {
  it('restores a paused VM with network and vsock overrides; the MMDS data is not restored', async () => {
    await using source = await pausedVm();
    const files = await snapshotOf(source);
    await using target = await startFakeVm();
    await ok(target, 'PUT', '/logger', { level: 'Info' });
    await ok(target, 'PUT', '/snapshot/load', {
      snapshot_path: files.state,
      mem_backend: { backend_type: 'File', backend_path: files.mem },
      network_overrides: [{ iface_id: 'eth0', host_dev_name: 'tap9' }],
      vsock_override: { uds_path: target.path('restored.sock') },
    });
    expect(JSON.parse((await target.api('GET', '/')).body)).toMatchObject({ state: 'Paused' });
    const config = JSON.parse((await target.api('GET', '/vm/config')).body) as Record<
      string,
      unknown
    >;
    // The real binary keeps the original VM's boot source after a load.
    expect(config['boot-source']).toEqual({
      kernel_image_path: source.path('vmlinux'),
      initrd_path: null,
      boot_args: 'console=ttyS0 reboot=k panic=1',
    });
    expect(config['machine-config']).toMatchObject({ vcpu_count: 2, mem_size_mib: 256 });
    expect(config['network-interfaces']).toEqual([
      {
        iface_id: 'eth0',
        host_dev_name: 'tap9',
        guest_mac: expect.any(String),
        mtu: null,
        rx_rate_limiter: null,
        tx_rate_limiter: null,
      },
    ]);
    expect(config.vsock).toEqual({ guest_cid: 3, uds_path: target.path('restored.sock') });
    expect(config['mmds-config']).toMatchObject({ network_interfaces: ['eth0'], version: 'V2' });
    expect((await target.api('GET', '/mmds')).body).toBe('{}');
    await ok(target, 'PATCH', '/vm', { state: 'Resumed' });
    const { ok: handshake, socket } = await vsockConnect(target.path('restored.sock'), 5000);
    expect(handshake).toBe('OK 1073741824');
    socket.destroy();
  });

  it('resumes with resume_vm, and accepts the deprecated mem_file_path', async () => {
    await using source = await pausedVm();
    const files = await snapshotOf(source);
    await using target = await startFakeVm();
    const response = await target.api('PUT', '/snapshot/load', {
      snapshot_path: files.state,
      mem_file_path: files.mem,
      resume_vm: true,
      vsock_override: { uds_path: target.path('v.sock') },
    });
    expect(response.status).toBe(204);
    expect(response.header('Deprecation')).toBe('true');
    expect(JSON.parse((await target.api('GET', '/')).body)).toMatchObject({ state: 'Running' });
  });

  it('sends the guest memory mappings to a Uffd handler', async () => {
    await using source = await pausedVm();
    const files = await snapshotOf(source);
    await using target = await startFakeVm();
    const handler = createServer();
    handler.listen(target.path('uffd.sock'));
    await once(handler, 'listening');
    const accepted = once(handler, 'connection');
    await ok(target, 'PUT', '/snapshot/load', {
      snapshot_path: files.state,
      mem_backend: { backend_type: 'Uffd', backend_path: target.path('uffd.sock') },
      vsock_override: { uds_path: target.path('v.sock') },
    });
    const [socket] = (await accepted) as [Socket];
    const [data] = (await once(socket, 'data')) as [Buffer];
    expect(JSON.parse(data.toString())).toEqual([
      expect.objectContaining({ size: 256 * MIB, offset: 0, page_size: 4096, page_size_kib: 4096 }),
    ]);
    socket.destroy();
    handler.close();
  });

  it.each([
    [
      'a missing state file',
      (vm: FakeVm) => ({
        snapshot_path: vm.path('missing.state'),
        mem_file_path: vm.path('vm.mem'),
      }),
      'Load snapshot error: Failed to restore from snapshot: Failed to get snapshot state from file: Failed to open snapshot file: No such file or directory (os error 2)',
    ],
    [
      'a missing memory file',
      (vm: FakeVm) => ({
        snapshot_path: vm.path('vm.state'),
        mem_backend: { backend_type: 'File', backend_path: vm.path('missing.mem') },
      }),
      'Load snapshot error: Failed to restore from snapshot: Failed to load guest memory: Error creating guest memory from file: No such file or directory (os error 2)',
    ],
    [
      'an override of an unknown interface',
      (vm: FakeVm) => ({
        snapshot_path: vm.path('vm.state'),
        mem_file_path: vm.path('vm.mem'),
        network_overrides: [{ iface_id: 'eth7', host_dev_name: 'tap7' }],
      }),
      'Load snapshot error: Failed to restore from snapshot: Failed to build microVM from snapshot: Invalid network override: no network interface with id eth7',
    ],
    [
      'a vsock socket that already exists',
      (vm: FakeVm) => ({ snapshot_path: vm.path('vm.state'), mem_file_path: vm.path('vm.mem') }),
      'Load snapshot error: Failed to restore from snapshot: Failed to build microVM from snapshot: Cannot create backend for vsock device: Error binding to the host-side Unix socket: Address in use (os error 98)',
    ],
  ])('answers 400 for %s, then exits 1', async (_name, body, message) => {
    await using source = await pausedVm();
    await snapshotOf(source);
    // The target shares the source's folder, so the source's vsock socket is in the way.
    await using target = await startFakeVm();
    const response = await target.api('PUT', '/snapshot/load', body(source));
    expect(response.status).toBe(400);
    expect(faultOf(response)).toBe(message);
    expect(await target.exited).toEqual({ code: 1, signal: null });
    expect(target.stdout()).toMatch(/Firecracker exiting with error\. exit_code=1\n$/u);
  });

  it('rejects a state file from a newer data format', async () => {
    await using source = await pausedVm();
    const files = await snapshotOf(source);
    const bytes = await readFile(files.state);
    bytes.writeBigUInt64LE(11n, 8);
    await writeFile(files.state, bytes);
    await using target = await startFakeVm();
    const response = await target.api('PUT', '/snapshot/load', {
      snapshot_path: files.state,
      mem_file_path: files.mem,
    });
    expect(faultOf(response)).toContain('Failed to load snapshot state from file:');
    expect((await target.exited).code).toBe(1);
  });
});
