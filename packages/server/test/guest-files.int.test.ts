// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { mkdir, readFile, readlink, stat, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { packTar, replaceFromTar } from '@kindling/exec-agent/protocol';
import { TEST_WAIT_MS } from '@kindling/test-utils';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGuestVm } from './support/guest-vm.js';
import { ServerFixture, type AnswerBody, type ApiCaller } from './support/server-fixture.js';
import { isRealBackend, NEEDS_GUEST } from './support/real-backend.js';

// The file routes over real HTTP, against the fake guest's exec agent (vsock port 10000).
describe.skipIf(isRealBackend)(`the guest file routes ${NEEDS_GUEST}`, () => {
  let fixture: ServerFixture;
  let api: ApiCaller;
  let tree: string;

  const put = async (guestPath: string, body: Readable) => {
    const answer = await request(
      `${api.origin}/v1/vms/files-vm/files?path=${encodeURIComponent(guestPath)}`,
      {
        method: 'PUT',
        dispatcher: api.dispatcher,
        headers: { 'content-type': 'application/x-tar' },
        body,
      },
    );
    return { status: answer.statusCode, body: (await answer.body.json()) as AnswerBody };
  };

  beforeAll(async () => {
    fixture = await ServerFixture.create();
    api = await fixture.start({
      limits: {
        socketWaitTimeoutMs: TEST_WAIT_MS,
        bodyLimitBytes: 16 * 1024,
        archiveLimitBytes: 64 * 1024,
      },
    });
    await createGuestVm(fixture, api, 'files-vm');
    tree = path.join(fixture.folder.dir, 'tree');
    await mkdir(path.join(tree, 'sub'), { recursive: true });
    await writeFile(path.join(tree, 'a.txt'), 'alpha\n');
    await writeFile(path.join(tree, 'sub', 'run.sh'), '#!/bin/sh\necho ran\n', { mode: 0o755 });
    await symlink('a.txt', path.join(tree, 'link'));
  });

  afterAll(async () => {
    await fixture[Symbol.asyncDispose]();
  });

  it('PUT then GET /v1/vms/:id/files: a small tree round-trips (contents, modes, links)', async () => {
    const pushed = await put('work/tree', Readable.from(packTar(tree)));
    expect(pushed).toEqual({ status: 200, body: { entries: 5, bytes: 25 } });

    const answer = await request(`${api.origin}/v1/vms/files-vm/files?path=work/tree`, {
      dispatcher: api.dispatcher,
    });
    expect(answer.statusCode).toBe(200);
    expect(answer.headers['content-type']).toBe('application/x-tar');
    const back = path.join(fixture.folder.dir, 'back');
    await replaceFromTar(answer.body, back);
    expect(await readFile(path.join(back, 'a.txt'), 'utf8')).toBe('alpha\n');
    expect(await readFile(path.join(back, 'sub', 'run.sh'), 'utf8')).toBe('#!/bin/sh\necho ran\n');
    expect((await stat(path.join(back, 'sub', 'run.sh'))).mode & 0o777).toBe(0o755);
    expect(await readlink(path.join(back, 'link'))).toBe('a.txt');
  });

  it('GET /v1/vms/:id/files/stat and /list describe what was pushed', async () => {
    const described = await api.call('GET', '/v1/vms/files-vm/files/stat?path=work/tree/a.txt');
    expect(described.status).toBe(200);
    expect(described.body).toMatchObject({ name: 'a.txt', type: 'file', size: 6 });
    const listed = await api.call('GET', '/v1/vms/files-vm/files/list?path=work/tree');
    expect(listed.status).toBe(200);
    expect(
      (listed.body['entries'] as { name: string; type: string }[]).map((entry) => [
        entry.name,
        entry.type,
      ]),
    ).toEqual([
      ['a.txt', 'file'],
      ['link', 'symlink'],
      ['sub', 'directory'],
    ]);
  });

  it('a missing path: 404 ERR_EXEC_NOT_FOUND, for a pull as for a stat', async () => {
    const pulled = await api.call('GET', '/v1/vms/files-vm/files?path=nothing-here');
    expect(pulled.status).toBe(404);
    expect(pulled.body.error?.code).toBe('ERR_EXEC_NOT_FOUND');
    const described = await api.call('GET', '/v1/vms/files-vm/files/stat?path=nothing-here');
    expect(described.status).toBe(404);
  });

  it("refuses a path through a link out of the agent's root: 400 ERR_EXEC_PATH_ESCAPE, nothing written", async () => {
    await api.call('POST', '/v1/vms/files-vm/exec', { argv: ['ln', '-s', '/tmp', 'escape'] });
    const pushed = await put('escape/planted', Readable.from(packTar(tree)));
    expect(pushed.status).toBe(400);
    expect(pushed.body.error?.code).toBe('ERR_EXEC_PATH_ESCAPE');
    const looked = await api.call('GET', '/v1/vms/files-vm/files/stat?path=work/planted');
    expect(looked.status).toBe(404);
  });

  it('refuses an archive over limits.archiveLimitBytes with 413, and a JSON body with 400', async () => {
    const big = path.join(fixture.folder.dir, 'big');
    await mkdir(big);
    await writeFile(path.join(big, 'zeros'), Buffer.alloc(80 * 1024));
    // Sent whole (it fits the socket's buffer): the server answers before reading it all, then
    // closes the connection, which a client still writing would see as EPIPE.
    const archive = Buffer.concat(await Readable.from(packTar(big)).toArray());
    const tooBig = await put('work/big', Readable.from([archive]));
    expect(tooBig.status).toBe(413);
    expect(tooBig.body.error?.message).toContain('limits.archiveLimitBytes');
    const json = await api.call('PUT', '/v1/vms/files-vm/files?path=work/json', { a: 1 });
    expect(json.status).toBe(400);
    const looked = await api.call('GET', '/v1/vms/files-vm/files/stat?path=work/big');
    expect(looked.status).toBe(404);
  });

  it('takes an archive over the JSON body limit (its own limit is archiveLimitBytes)', async () => {
    const mid = path.join(fixture.folder.dir, 'mid');
    await mkdir(mid);
    await writeFile(path.join(mid, 'data'), Buffer.alloc(40 * 1024, 7));
    const pushed = await put('work/mid', Readable.from(packTar(mid)));
    expect(pushed).toEqual({ status: 200, body: { entries: 2, bytes: 40 * 1024 } });
    const described = await api.call('GET', '/v1/vms/files-vm/files/stat?path=work/mid/data');
    expect(described.body).toMatchObject({ type: 'file', size: 40 * 1024 });
  });

  it('an unknown VM: 404 ERR_VM_NOT_FOUND', async () => {
    const answer = await api.call('GET', '/v1/vms/nobody/files/list?path=.');
    expect(answer.status).toBe(404);
    expect(answer.body.error?.code).toBe('ERR_VM_NOT_FOUND');
  });
});
