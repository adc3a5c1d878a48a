// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { mkdir, readdir } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { FakeSetup } from './support/fake-setup.js';

// sockaddr_un's sun_path holds 108 bytes, the terminating NUL included.
const SUN_PATH_MAX = 108;

afterEach(() => {
  vi.unstubAllEnvs();
});

describe('VmmProcess with a jailed API socket path over the Unix socket limit', () => {
  it('waits for the socket and talks to the API through a link it removes afterwards', async () => {
    await using setup = await FakeSetup.create();
    // Links are made in os.tmpdir(): a private one shows what is made and what is left.
    const links = path.join(setup.dir, 'tmp');
    await mkdir(links);
    vi.stubEnv('TMPDIR', links);
    const chrootBaseDir = path.join(setup.dir, 'jail', 'b'.repeat(100));
    await mkdir(chrootBaseDir, { recursive: true });
    const vmm = setup.createProcess({ id: 'long-1', jailed: { chrootBaseDir } });
    await vmm.prepare();
    await vmm.invoke();
    const socketPath = vmm.socketPath as string;
    expect(socketPath).toBe(
      path.join(chrootBaseDir, 'firecracker', 'long-1', 'root', 'run', 'firecracker.socket'),
    );
    expect(Buffer.byteLength(socketPath)).toBeGreaterThan(SUN_PATH_MAX);
    expect((await vmm.api.get('/')).body).toMatchObject({ id: 'long-1', state: 'Not started' });
    expect(vmm.api.socketPath).toBe(socketPath);
    // The wait's link is gone; the client's stays while it is open.
    expect(await readdir(links)).toHaveLength(1);
    await vmm[Symbol.asyncDispose]();
    expect(vmm.state).toBe('crashed');
    expect(await readdir(links)).toEqual([]);
    // The exec folder Kindling made goes with its last jail; the base it did not make stays.
    expect(await readdir(chrootBaseDir)).toEqual([]);
  });
});
