// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdir, mkdtemp, readdir, rm, stat, symlink, unlink } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { setImmediate as tick } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ProcessError } from './errors.js';
import { waitForSocket } from './socket-wait.js';
import { rejection } from '../test/support/assertions.js';

let dir: string;
const servers: net.Server[] = [];

const listen = async (socketPath: string): Promise<net.Server> => {
  const server = net.createServer((socket) => socket.destroy());
  servers.push(server);
  server.listen(socketPath);
  await once(server, 'listening');
  return server;
};

const countResources = (kind: string): number =>
  process.getActiveResourcesInfo().filter((resource) => resource === kind).length;

// A closed handle leaves the active list in libuv's close phase, which follows the check phase.
const afterCloses = async (): Promise<void> => {
  await tick();
  await tick();
};

beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'kindling-socket-wait-'));
});

afterEach(async () => {
  await Promise.all(
    servers.splice(0).map(
      (server) =>
        new Promise((resolve) => {
          server.close(resolve);
        }),
    ),
  );
  await rm(dir, { recursive: true, force: true });
});

describe('waitForSocket', () => {
  it('resolves at once when something already listens', async () => {
    const socketPath = path.join(dir, 'api.sock');
    await listen(socketPath);
    await expect(waitForSocket({ socketPath, timeoutMs: 1_000 })).resolves.toBeUndefined();
  });

  it('resolves when the socket appears after the wait began, and leaves no watch or timer', async () => {
    const socketPath = path.join(dir, 'api.sock');
    const watchesBefore = countResources('FSEventWrap');
    const timersBefore = countResources('Timeout');
    let listening = false;
    const waiting = waitForSocket({ socketPath, timeoutMs: 5_000 }).then(() => listening);
    expect(countResources('FSEventWrap')).toBe(watchesBefore + 1);
    await tick();
    await listen(socketPath);
    listening = true;
    expect(await waiting).toBe(true);
    await afterCloses();
    expect(countResources('FSEventWrap')).toBe(watchesBefore);
    // Other code in this worker (vitest's own timers) may end a timer meanwhile: only an extra one
    // would be ours.
    expect(countResources('Timeout')).toBeLessThanOrEqual(timersBefore);
  });

  it('waits for a folder that does not exist yet (a jail being laid out)', async () => {
    const socketPath = path.join(dir, 'jail', 'root', 'run', 'api.sock');
    const waiting = waitForSocket({ socketPath, timeoutMs: 5_000 });
    await tick();
    await mkdir(path.dirname(socketPath), { recursive: true });
    await listen(socketPath);
    await expect(waiting).resolves.toBeUndefined();
  });

  it('is not fooled by a stale socket file nobody listens on', async () => {
    const socketPath = path.join(dir, 'api.sock');
    // A process that dies by SIGKILL leaves its bound socket behind, as Firecracker does.
    const child = spawn(
      process.execPath,
      [
        '-e',
        `require('node:net').createServer().listen(${JSON.stringify(socketPath)}, () => process.kill(process.pid, 'SIGKILL'))`,
      ],
      { stdio: 'ignore' },
    );
    await once(child, 'exit');
    expect((await stat(socketPath)).isSocket()).toBe(true);
    const error = await rejection(waitForSocket({ socketPath, timeoutMs: 150 }));
    expect(error).toMatchObject({ code: 'ERR_SOCKET_WAIT_TIMEOUT' });
    const waiting = waitForSocket({ socketPath, timeoutMs: 5_000 });
    await unlink(socketPath);
    await listen(socketPath);
    await expect(waiting).resolves.toBeUndefined();
  });

  it('times out with ERR_SOCKET_WAIT_TIMEOUT naming the socket and the time', async () => {
    const socketPath = path.join(dir, 'api.sock');
    const watchesBefore = countResources('FSEventWrap');
    const error = await rejection(waitForSocket({ socketPath, timeoutMs: 50 }));
    expect(error).toBeInstanceOf(ProcessError);
    expect(error).toMatchObject({ code: 'ERR_SOCKET_WAIT_TIMEOUT' });
    expect((error as Error).message).toContain(socketPath);
    expect((error as Error).message).toContain('within 50 ms');
    await afterCloses();
    expect(countResources('FSEventWrap')).toBe(watchesBefore);
  });

  it("rejects with the caller's abort reason", async () => {
    const socketPath = path.join(dir, 'api.sock');
    const reason = new Error('stop');
    expect(await rejection(waitForSocket({ socketPath, signal: AbortSignal.abort(reason) }))).toBe(
      reason,
    );
    const controller = new AbortController();
    const waiting = waitForSocket({ socketPath, signal: controller.signal });
    controller.abort(reason);
    expect(await rejection(waiting)).toBe(reason);
  });

  it('fails fast with the exit status and the output tail when the process dies first', async () => {
    const socketPath = path.join(dir, 'api.sock');
    const started = Date.now();
    const error = await rejection(
      waitForSocket({
        socketPath,
        timeoutMs: 10_000,
        exited: Promise.resolve({ code: 1, signal: null }),
        outputTail: () => 'line 1\nFailed to open the API socket\n',
      }),
    );
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(error).toMatchObject({ code: 'ERR_SOCKET_WAIT_EXITED' });
    expect((error as Error).message).toBe(
      `The process exited with code 1 before its API socket ${socketPath} accepted connections; the last lines of its output:\nline 1\nFailed to open the API socket`,
    );
    const killed = await rejection(
      waitForSocket({ socketPath, exited: Promise.resolve({ code: null, signal: 'SIGABRT' }) }),
    );
    expect((killed as Error).message).toMatch(/was killed by SIGABRT .* \(it wrote nothing\)$/u);
  });

  it('rejects with the error of an exit watch that fails', async () => {
    const failure = new Error('could not watch the process');
    const error = await rejection(
      waitForSocket({ socketPath: path.join(dir, 'api.sock'), exited: Promise.reject(failure) }),
    );
    expect(error).toBe(failure);
  });

  it('rejects bad options with ERR_INVALID_INPUT', async () => {
    expect(await rejection(waitForSocket({ socketPath: '' }))).toMatchObject({
      code: 'ERR_INVALID_INPUT',
    });
    expect(
      await rejection(waitForSocket({ socketPath: path.join(dir, 'x'), timeoutMs: 0 })),
    ).toMatchObject({ code: 'ERR_INVALID_INPUT' });
  });
  it('waits for a socket whose path is over the Unix limit, and removes its link however it ends', async () => {
    // Links are made in os.tmpdir(): a private one shows what is made and what is left.
    const links = path.join(dir, 'tmp');
    await mkdir(links);
    vi.stubEnv('TMPDIR', links);
    try {
      const long = path.join(dir, 'l'.repeat(120));
      await mkdir(long);
      // Bound through a short link to the long folder, as the jailer binds inside its chroot.
      await symlink(long, path.join(dir, 'j'));
      const socketPath = path.join(long, 'api.sock');
      const waiting = waitForSocket({ socketPath, timeoutMs: 5_000 });
      await tick();
      expect(await readdir(links)).toHaveLength(1);
      await listen(path.join(dir, 'j', 'api.sock'));
      await expect(waiting).resolves.toBeUndefined();
      expect(await readdir(links)).toEqual([]);

      const controller = new AbortController();
      const aborted = waitForSocket({
        socketPath: path.join(long, 'other.sock'),
        signal: controller.signal,
      });
      controller.abort(new Error('stop'));
      expect(await rejection(aborted)).toMatchObject({ message: 'stop' });
      const timedOut = waitForSocket({ socketPath: path.join(long, 'other.sock'), timeoutMs: 20 });
      expect(await rejection(timedOut)).toMatchObject({ code: 'ERR_SOCKET_WAIT_TIMEOUT' });
      expect(await readdir(links)).toEqual([]);
    } finally {
      vi.unstubAllEnvs();
    }
  });
});
