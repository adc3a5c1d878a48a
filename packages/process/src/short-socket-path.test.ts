// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { once } from 'node:events';
import { lstat, mkdir, mkdtemp, readdir, readlink, rm, symlink } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ProcessError } from './errors.js';
import { createShortSocketPath, SUN_PATH_MAX } from './short-socket-path.js';
import { thrown } from '../test/support/assertions.js';

let dir: string;
let links: string;

beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'kindling-short-path-'));
  // Links are made in os.tmpdir(): a private one shows exactly what is made and left.
  links = path.join(dir, 'tmp');
  await mkdir(links);
  vi.stubEnv('TMPDIR', links);
});

afterEach(async () => {
  vi.unstubAllEnvs();
  await rm(dir, { recursive: true, force: true });
});

/** Listens on a socket whose host path is over the limit, binding it through a short link. */
const listenLong = async (): Promise<{ server: net.Server; socketPath: string }> => {
  const long = path.join(dir, 'd'.repeat(120));
  await mkdir(long);
  await symlink(long, path.join(dir, 'l'));
  const server = net.createServer((socket) => socket.end('hello'));
  server.listen(path.join(dir, 'l', 'api.sock'));
  await once(server, 'listening');
  return { server, socketPath: path.join(long, 'api.sock') };
};

const connect = async (socketPath: string): Promise<string> => {
  const socket = net.connect(socketPath);
  socket.setEncoding('utf8');
  let text = '';
  for await (const chunk of socket) {
    text += chunk as string;
  }
  return text;
};

describe('createShortSocketPath', () => {
  it('returns a path under the limit untouched and makes nothing', async () => {
    const socketPath = path.join(dir, 'api.sock');
    using short = createShortSocketPath(socketPath);
    expect(short.path).toBe(socketPath);
    expect(await readdir(links)).toEqual([]);
  });

  it('connects to a socket whose path is over the limit through a private link', async () => {
    const { server, socketPath } = await listenLong();
    try {
      expect(Buffer.byteLength(socketPath)).toBeGreaterThanOrEqual(SUN_PATH_MAX);
      // What the link is for: the kernel refuses the long path itself.
      await expect(connect(socketPath)).rejects.toMatchObject({
        code: expect.stringMatching(/^(EINVAL|ENAMETOOLONG)$/u),
      });
      using short = createShortSocketPath(socketPath);
      expect(Buffer.byteLength(short.path)).toBeLessThan(SUN_PATH_MAX);
      expect(await readlink(short.path)).toBe(socketPath);
      expect((await lstat(path.dirname(short.path))).mode & 0o777).toBe(0o700);
      expect(await connect(short.path)).toBe('hello');
    } finally {
      server.close();
    }
  });

  it('links a relative path by its absolute form', async () => {
    const relative = path.relative(process.cwd(), path.join(dir, 'r'.repeat(120), 'api.sock'));
    expect(Buffer.byteLength(relative)).toBeGreaterThanOrEqual(SUN_PATH_MAX);
    using short = createShortSocketPath(relative);
    expect(await readlink(short.path)).toBe(path.resolve(relative));
  });

  it('removes its folder on dispose, and a second dispose does nothing', async () => {
    const short = createShortSocketPath(path.join(dir, 'x'.repeat(120), 'api.sock'));
    expect(await readdir(links)).toHaveLength(1);
    short[Symbol.dispose]();
    short[Symbol.dispose]();
    expect(await readdir(links)).toEqual([]);
  });

  it('fails with ERR_SOCKET_LINK, leaving nothing, when even the link would be too long', async () => {
    const longTmp = path.join(links, 't'.repeat(100));
    await mkdir(longTmp);
    vi.stubEnv('TMPDIR', longTmp);
    const error = thrown(() => createShortSocketPath(path.join(dir, 'y'.repeat(120))));
    expect(error).toBeInstanceOf(ProcessError);
    expect(error).toMatchObject({
      code: 'ERR_SOCKET_LINK',
      message: expect.stringMatching(/set TMPDIR to a shorter folder/u),
    });
    expect(await readdir(longTmp)).toEqual([]);
  });
});
