// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { once } from 'node:events';
import net from 'node:net';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { catchError } from './catch-error.js';
import { FakeInstallationFolder } from './fake-installation-folder.js';
import { listLeftoverFiles, listLeftoverProcesses } from './leftovers.js';
import { createTempFolder } from './temp-folder.js';

describe('createTempFolder', () => {
  it('removes the folder and its contents on disposal', async () => {
    let kept: string;
    {
      await using folder = await createTempFolder('kindling-tu-', { mode: 0o755 });
      kept = folder.path;
      await writeFile(path.join(kept, 'file'), 'x');
      expect(existsSync(kept)).toBe(true);
    }
    expect(existsSync(kept)).toBe(false);
  });
});

describe('catchError', () => {
  it('returns what a promise or a function threw, and fails when nothing was', async () => {
    const error = new Error('boom');
    expect(await catchError(Promise.reject(error))).toBe(error);
    expect(
      await catchError(() => {
        throw error;
      }),
    ).toBe(error);
    await expect(catchError(Promise.resolve(1))).rejects.toThrow('expected an error');
  });
});

describe('leftovers', () => {
  it('lists files, sockets and running processes a test left', async () => {
    await using folder = await createTempFolder('kindling-tu-');
    await mkdir(path.join(folder.path, 'bin'));
    await writeFile(path.join(folder.path, 'bin', 'firecracker'), '');
    await writeFile(path.join(folder.path, 'stale.log'), '');
    const server = net.createServer().listen(path.join(folder.path, 'api.sock'));
    await once(server, 'listening');
    try {
      expect(await listLeftoverFiles(folder.path, /^bin($|\/)/u)).toEqual([
        'api.sock (socket)',
        'stale.log',
      ]);
    } finally {
      server.close();
    }
    const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)']);
    const pid = Number(child.pid);
    expect(await listLeftoverProcesses([pid])).toEqual([pid]);
    child.kill('SIGKILL');
    await once(child, 'exit');
    expect(await listLeftoverProcesses([pid])).toEqual([]);
  });
});

describe('FakeInstallationFolder', () => {
  it('builds a working fake installation, reports leftovers, and removes it all', async () => {
    let dir: string;
    {
      await using setup = await FakeInstallationFolder.create({ prefix: 'kindling-tu-' });
      dir = setup.dir;
      await expect(setup.installation.verify('1.16.1')).resolves.toBeUndefined();
      expect(await setup.leftovers()).toEqual([]);
      await writeFile(path.join(setup.dir, 'run', 'left.sock'), '');
      expect(await setup.leftovers()).toEqual(['run/left.sock']);
    }
    expect(existsSync(dir)).toBe(false);
  });
});
