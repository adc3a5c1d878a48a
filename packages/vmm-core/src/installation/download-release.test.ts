// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createFakeRelease, type FakeRelease } from '../../test/support/tarball.js';
import { VmmCoreError } from '../errors.js';
import { type DownloadProgress, downloadRelease } from './download-release.js';

type Route = (request: IncomingMessage, response: ServerResponse) => void;

const VERSION = '1.16.1';
const release = createFakeRelease(VERSION, 'x86_64');
const assetPath = (fake: FakeRelease, prefix = '/releases'): string =>
  `${prefix}/v${VERSION}/${fake.tarballName}`;

const listen = (server: Server): Promise<number> =>
  new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
  });

const closeServer = async (server: Server): Promise<void> => {
  server.closeAllConnections();
  await new Promise<void>((resolve, reject) => {
    server.close((error) => (error ? reject(error) : resolve()));
  });
};

const catchError = (promise: Promise<unknown>): Promise<unknown> =>
  promise.then(
    () => {
      throw new Error('expected the download to fail');
    },
    (error: unknown) => error,
  );

describe('downloadRelease', () => {
  let server: Server;
  let baseUrl: string;
  let routes: Map<string, Route>;
  let requests: string[];
  let root: string;
  let dir: string;

  const serve = (url: string, body: Buffer | string, status = 200): void => {
    routes.set(url, (_request, response) => {
      response.writeHead(status, { 'content-length': Buffer.byteLength(body) });
      response.end(body);
    });
  };

  const serveRelease = (fake: FakeRelease, checksumFile = fake.checksumFile): void => {
    serve(assetPath(fake), fake.tarball);
    serve(`${assetPath(fake)}.sha256.txt`, checksumFile);
  };

  // Sends the headers and half of the tarball, then never finishes.
  const serveStalledTarball = (fake: FakeRelease): void => {
    serve(`${assetPath(fake)}.sha256.txt`, fake.checksumFile);
    routes.set(assetPath(fake), (_request, response) => {
      response.writeHead(200, { 'content-length': fake.tarball.length });
      response.write(fake.tarball.subarray(0, fake.tarball.length / 2));
    });
  };

  beforeAll(async () => {
    routes = new Map();
    requests = [];
    server = createServer((request, response) => {
      requests.push(request.url ?? '');
      const route = routes.get(request.url ?? '');
      if (route === undefined) {
        response.writeHead(404).end('Not Found');
        return;
      }
      route(request, response);
    });
    baseUrl = `http://127.0.0.1:${await listen(server)}/releases`;
  });

  afterAll(async () => {
    await closeServer(server);
  });

  beforeEach(async () => {
    routes.clear();
    requests.length = 0;
    root = await mkdtemp(path.join(tmpdir(), 'kindling-download-'));
    dir = path.join(root, 'firecracker', 'v1.16.1');
  });

  afterEach(async () => {
    server.closeAllConnections();
    await rm(root, { recursive: true, force: true });
  });

  it('downloads, checks and unpacks the three binaries, reporting progress', async () => {
    serveRelease(release);
    const progress: DownloadProgress[] = [];
    const binaries = await downloadRelease({
      version: VERSION,
      arch: 'x86_64',
      dir,
      baseUrl,
      onProgress: (update) => progress.push(update),
    });
    expect(binaries).toEqual({
      firecrackerPath: path.join(dir, 'firecracker'),
      jailerPath: path.join(dir, 'jailer'),
      snapshotEditorPath: path.join(dir, 'snapshot-editor'),
    });
    expect(await readFile(binaries.firecrackerPath, 'utf8')).toBe(release.binaries.firecracker);
    expect(await readFile(binaries.jailerPath, 'utf8')).toBe(release.binaries.jailer);
    expect(await readFile(binaries.snapshotEditorPath, 'utf8')).toBe(
      release.binaries['snapshot-editor'],
    );
    expect((await stat(binaries.firecrackerPath)).mode & 0o777).toBe(0o755);
    // The staging folder and the tarball are gone; only the binaries remain.
    expect((await readdir(dir)).toSorted()).toEqual(['firecracker', 'jailer', 'snapshot-editor']);
    expect(progress.at(-1)).toEqual({
      receivedBytes: release.tarball.length,
      totalBytes: release.tarball.length,
    });
    expect(requests).toEqual([`${assetPath(release)}.sha256.txt`, assetPath(release)]);
  });

  it('follows redirects, accepts a "v" version, and keeps unrelated files in an existing folder', async () => {
    const fake = createFakeRelease(VERSION, 'aarch64');
    serveRelease(fake);
    for (const suffix of ['', '.sha256.txt']) {
      routes.set(`${assetPath(fake, '/moved')}${suffix}`, (_request, response) => {
        response.writeHead(302, { location: `${assetPath(fake)}${suffix}` }).end();
      });
    }
    await mkdir(dir, { recursive: true });
    await writeFile(path.join(dir, 'keep.txt'), 'mine');
    const binaries = await downloadRelease({
      version: `v${VERSION}`,
      arch: 'aarch64',
      dir,
      baseUrl: baseUrl.replace('/releases', '/moved/'),
    });
    expect(await readFile(binaries.jailerPath, 'utf8')).toBe(fake.binaries.jailer);
    expect((await readdir(dir)).toSorted()).toEqual([
      'firecracker',
      'jailer',
      'keep.txt',
      'snapshot-editor',
    ]);
  });

  it('fails with ERR_DOWNLOAD_CHECKSUM and installs nothing when the SHA-256 differs', async () => {
    serveRelease(release, `${'0'.repeat(64)}  ${release.tarballName}\n`);
    const error = await catchError(
      downloadRelease({ version: VERSION, arch: 'x86_64', dir, baseUrl }),
    );
    expect(error).toBeInstanceOf(VmmCoreError);
    expect((error as VmmCoreError).code).toBe('ERR_DOWNLOAD_CHECKSUM');
    expect((error as VmmCoreError).message).toContain(`says ${'0'.repeat(64)}`);
    // The folder did not exist before: it is removed again.
    expect(existsSync(path.join(root, 'firecracker'))).toBe(false);
  });

  it('fails with ERR_DOWNLOAD_FAILED on a 404 and leaves an existing folder as it was', async () => {
    await mkdir(dir, { recursive: true });
    await writeFile(path.join(dir, 'keep.txt'), 'mine');
    const error = await catchError(
      downloadRelease({ version: '9.9.9', arch: 'x86_64', dir, baseUrl }),
    );
    expect((error as VmmCoreError).code).toBe('ERR_DOWNLOAD_FAILED');
    expect((error as VmmCoreError).message).toMatch(
      /firecracker-v9\.9\.9-x86_64\.tgz\.sha256\.txt: the server answered HTTP 404/u,
    );
    expect(await readdir(dir)).toEqual(['keep.txt']);
  });

  it('fails with ERR_DOWNLOAD_FAILED when a binary is missing from the tarball', async () => {
    const fake = createFakeRelease(VERSION, 'x86_64', { omit: 'jailer' });
    serveRelease(fake);
    const error = await catchError(
      downloadRelease({ version: VERSION, arch: 'x86_64', dir, baseUrl }),
    );
    expect((error as VmmCoreError).code).toBe('ERR_DOWNLOAD_FAILED');
    expect((error as VmmCoreError).message).toContain(
      'has no release-v1.16.1-x86_64/jailer-v1.16.1-x86_64',
    );
    expect(existsSync(dir)).toBe(false);
  });

  it('rejects with the signal reason when aborted mid-download and cleans up', async () => {
    serveStalledTarball(release);
    await mkdir(dir, { recursive: true });
    const controller = new AbortController();
    const reason = new Error('stop');
    const error = await catchError(
      downloadRelease({
        version: VERSION,
        arch: 'x86_64',
        dir,
        baseUrl,
        signal: controller.signal,
        onProgress: () => controller.abort(reason),
      }),
    );
    expect(error).toBe(reason);
    expect(await readdir(dir)).toEqual([]);
  });

  it('rejects at once with the reason of an already aborted signal, writing nothing', async () => {
    serveRelease(release);
    const reason = new Error('never started');
    const error = await catchError(
      downloadRelease({ version: VERSION, dir, baseUrl, signal: AbortSignal.abort(reason) }),
    );
    expect(error).toBe(reason);
    expect(requests).toEqual([]);
    expect(existsSync(dir)).toBe(false);
  });

  it('fails with ERR_DOWNLOAD_FAILED when the download outlives timeoutMs', async () => {
    serveStalledTarball(release);
    const error = await catchError(
      downloadRelease({ version: VERSION, arch: 'x86_64', dir, baseUrl, timeoutMs: 300 }),
    );
    expect((error as VmmCoreError).code).toBe('ERR_DOWNLOAD_FAILED');
    expect((error as VmmCoreError).message).toMatch(/did not finish within 300 ms/u);
    expect(existsSync(path.join(root, 'firecracker'))).toBe(false);
  });

  it('fails with a clear ERR_DOWNLOAD_FAILED when offline (connection refused)', async () => {
    const closed = createServer();
    const port = await listen(closed);
    await closeServer(closed);
    const error = await catchError(
      downloadRelease({
        version: VERSION,
        arch: 'x86_64',
        dir,
        baseUrl: `http://127.0.0.1:${port}/releases`,
      }),
    );
    expect(error).toBeInstanceOf(VmmCoreError);
    expect((error as VmmCoreError).code).toBe('ERR_DOWNLOAD_FAILED');
    expect((error as VmmCoreError).message).toMatch(/ECONNREFUSED.*is this machine offline/u);
    expect((error as VmmCoreError).cause).toBeInstanceOf(Error);
    expect(existsSync(path.join(root, 'firecracker'))).toBe(false);
  });

  it('fails with ERR_DOWNLOAD_FAILED when the folder cannot be created', async () => {
    serveRelease(release);
    const file = path.join(root, 'a-file');
    await writeFile(file, 'not a folder');
    const error = await catchError(
      downloadRelease({ version: VERSION, arch: 'x86_64', dir: path.join(file, 'bin'), baseUrl }),
    );
    expect((error as VmmCoreError).code).toBe('ERR_DOWNLOAD_FAILED');
    expect((error as VmmCoreError).message).toMatch(
      /Could not write to the folder .*a-file\/bin .*ENOTDIR/u,
    );
    expect(requests).toEqual([]);
  });

  it.each([
    [
      'version',
      { version: 'latest' },
      /download\.version: must be a Firecracker version.*got "latest"/u,
    ],
    ['arch', { arch: 'x86' }, /download\.arch: must be "x86_64" or "aarch64".*got "x86"/u],
    [
      'baseUrl',
      { baseUrl: 'ftp://example.test' },
      /download\.baseUrl: must be an http or https URL/u,
    ],
    ['timeoutMs', { timeoutMs: 0 }, /download\.timeoutMs: .*got 0/u],
    ['onProgress', { onProgress: 'yes' }, /download\.onProgress: must be a function/u],
    ['an unknown option', { checksum: 'skip' }, /^download\.checksum: unknown key/u],
  ])('rejects a bad %s before any request or write', async (_name, patch, pattern) => {
    const error = await catchError(
      downloadRelease({ version: VERSION, arch: 'x86_64', dir, baseUrl, ...patch } as never),
    );
    expect((error as VmmCoreError).code).toBe('ERR_INVALID_INPUT');
    expect((error as VmmCoreError).message).toMatch(pattern);
    expect(requests).toEqual([]);
    expect(existsSync(path.join(root, 'firecracker'))).toBe(false);
  });
});
