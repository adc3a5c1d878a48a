// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { once } from 'node:events';
import { mkdir, stat, symlink, writeFile } from 'node:fs/promises';
import { createServer, type Socket } from 'node:net';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { waitUntilConnectable } from '@kindling/helpers';
import { echoRoundTrip, vsockConnect } from './support/vsock-client.js';
import { RawApiClient } from './support/raw-api.js';
import { createJailSandbox, type JailSandbox, killChild, spawnJailer } from './support/jail.js';
import { writeFakeKernel } from '../src/testing/fake-kernel.js';

// sockaddr_un's sun_path holds 108 bytes, the terminating NUL included.
const SUN_PATH_MAX = 108;
let sandbox: JailSandbox;
// Every sandbox made, so one made before a failing step is still removed.
const sandboxes: JailSandbox[] = [];

beforeEach(async () => {
  sandbox = await createJailSandbox();
  sandboxes.push(sandbox);
});

afterEach(async () => {
  for (const made of sandboxes.splice(0)) {
    await made.remove();
  }
});

describe('fake-jailer with a long --chroot-base-dir', () => {
  it('binds and connects Unix sockets inside the jail, as chrooted Firecracker does', async () => {
    const base = path.join(sandbox.base, 'b'.repeat(100));
    await mkdir(base, { mode: 0o755 });
    const id = 'long-socket-paths';
    const root = path.join(base, 'firecracker', id, 'root');
    const apiSocket = path.join(root, 'run', 'firecracker.socket');
    expect(Buffer.byteLength(apiSocket)).toBeGreaterThan(SUN_PATH_MAX);
    // The test reaches the jail by a short symlink: it cannot name the long paths in a sockaddr.
    const jail = path.join(sandbox.dir, 'j');
    await symlink(root, jail);
    // The sandbox's flags end with `--chroot-base-dir <its base>`: point that at the long one.
    const flags = sandbox.args(id);
    expect(flags.slice(-2)).toEqual(['--chroot-base-dir', sandbox.base]);
    const args = [...flags.slice(0, -1), base];
    const child = spawnJailer(args, { ...sandbox.env, KINDLING_FAKE_VSOCK_GUEST_CONNECT: '7777' });
    const host = createServer();
    let client: RawApiClient | undefined;
    try {
      await waitUntilConnectable(path.join(jail, 'run', 'firecracker.socket'), {
        signal: AbortSignal.timeout(10_000),
      });
      expect((await stat(apiSocket)).isSocket()).toBe(true);
      client = await RawApiClient.connect(path.join(jail, 'run', 'firecracker.socket'));
      expect(JSON.parse((await client.request('GET', '/')).body)).toMatchObject({ id });

      await writeFakeKernel(path.join(root, 'vmlinux'));
      await writeFile(path.join(root, 'rootfs.ext4'), 'fake rootfs');
      const configured = [
        await client.request('PUT', '/boot-source', {
          kernel_image_path: '/vmlinux',
          boot_args: 'console=ttyS0 reboot=k panic=1',
        }),
        await client.request('PUT', '/drives/rootfs', {
          drive_id: 'rootfs',
          path_on_host: '/rootfs.ext4',
          is_root_device: true,
          is_read_only: false,
        }),
        await client.request('PUT', '/vsock', { guest_cid: 3, uds_path: '/v.sock' }),
      ];
      expect(configured.map((response) => response.status)).toEqual([204, 204, 204]);
      expect((await stat(path.join(root, 'v.sock'))).isSocket()).toBe(true);
      host.listen(path.join(jail, 'v.sock_7777'));
      await once(host, 'listening');
      const accepted = once(host, 'connection').then(([socket]) => socket as Socket);
      expect(
        (await client.request('PUT', '/actions', { action_type: 'InstanceStart' })).status,
      ).toBe(204);

      // Host-initiated: CONNECT on the vsock uds_path, answered once the guest's echo is up.
      await expect
        .poll(async () => {
          const { ok, socket } = await vsockConnect(path.join(jail, 'v.sock'), 5000);
          socket.destroy();
          return ok;
        })
        .toMatch(/^OK /u);
      // Guest-initiated: the fake connects to `<uds_path>_<port>` inside the jail.
      const guest = await accepted;
      expect(await echoRoundTrip(guest, 'ping')).toBe('ping');
      guest.destroy();
    } finally {
      client?.close();
      host.close();
      await killChild(child);
    }
  });
});
