// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { canConnect, waitUntilConnectable } from './socket-probe.js';

let folder: string;
beforeEach(async () => {
  folder = await mkdtemp(path.join(tmpdir(), 'kindling-probe-'));
});
afterEach(async () => {
  await rm(folder, { recursive: true, force: true });
});

describe('waitUntilConnectable', () => {
  it('resolves once a server listens, and fails with the reason on abort', async () => {
    const socketPath = path.join(folder, 'api.sock');
    expect(await canConnect(socketPath)).toBe(false);
    const waiting = waitUntilConnectable(socketPath, { signal: AbortSignal.timeout(20_000) });
    const server = net.createServer();
    await new Promise<void>((resolve) => {
      server.listen(socketPath, resolve);
    });
    try {
      await waiting;
      expect(await canConnect(socketPath)).toBe(true);
    } finally {
      server.close();
    }
    const controller = new AbortController();
    const stopped = waitUntilConnectable(path.join(folder, 'none.sock'), {
      signal: controller.signal,
    });
    controller.abort(new Error('enough'));
    await expect(stopped).rejects.toThrow('enough');
  });
});
