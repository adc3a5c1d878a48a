// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { mkdtemp, rm } from 'node:fs/promises';
import { type IncomingMessage, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFakeRelease } from '../../test/support/tarball.js';
import { VmmInstallation } from './vmm-installation.js';

const VERSION = '1.16.1';
const release = createFakeRelease(VERSION, 'x86_64');
const ASSET = `/v${VERSION}/${release.tarballName}`;
const ROUTES = new Map<string, string | Buffer>([
  [ASSET, release.tarball],
  [`${ASSET}.sha256.txt`, release.checksumFile],
]);

const handle = (request: IncomingMessage, response: ServerResponse): void => {
  const body = ROUTES.get(request.url ?? '');
  if (body === undefined) {
    response.writeHead(404).end();
  } else {
    response.end(body);
  }
};

describe('VmmInstallation.download', () => {
  const server = createServer(handle);
  let dir: string;

  beforeAll(async () => {
    await new Promise<void>((resolve) => {
      server.listen(0, '127.0.0.1', resolve);
    });
    dir = await mkdtemp(path.join(tmpdir(), 'kindling-installation-'));
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
    });
    await rm(dir, { recursive: true, force: true });
  });

  it('returns an installation of the downloaded binaries that verifies', async () => {
    const installation = await VmmInstallation.download({
      version: VERSION,
      arch: 'x86_64',
      dir: path.join(dir, 'bin'),
      baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    });
    expect(installation.firecrackerPath).toBe(path.join(dir, 'bin', 'firecracker'));
    expect(installation.jailerPath).toBe(path.join(dir, 'bin', 'jailer'));
    expect(installation.snapshotEditorPath).toBe(path.join(dir, 'bin', 'snapshot-editor'));
    await expect(installation.verify(VERSION)).resolves.toBeUndefined();
  });
});
