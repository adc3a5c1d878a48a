// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { connect, createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { closeKeepingSocketFile } from '../src/http/close-keeping-socket.js';

const folders: string[] = [];
afterEach(async () => {
  for (const folder of folders.splice(0)) {
    await rm(folder, { recursive: true, force: true });
  }
});

describe('closeKeepingSocketFile', () => {
  it('has the socket back under its own name before a connection still open lets the close end', async () => {
    const folder = await mkdtemp(path.join(os.tmpdir(), 'kindling-close-keeping-'));
    folders.push(folder);
    const socketPath = path.join(folder, 'api.sock');
    const server = createServer();
    server.listen(socketPath);
    await once(server, 'listening');
    const client = connect(socketPath);
    await once(client, 'connect');
    // The close cannot end while the client is connected: a SIGKILL now (a caller's shutdown
    // falling through to kill) must find the file under its own name, not aside.
    const closing = closeKeepingSocketFile(server, socketPath);
    const duringClose = await readdir(folder);
    client.destroy();
    await closing;
    expect({ duringClose, afterClose: existsSync(socketPath) }).toEqual({
      duringClose: ['api.sock'],
      afterClose: true,
    });
  });
});
