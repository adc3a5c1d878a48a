// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { symlink } from 'node:fs/promises';
import path from 'node:path';
import { TEST_WAIT_MS } from '@kindling/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ServerFixture, type ApiCaller } from './support/server-fixture.js';

interface BadCall {
  readonly what: string;
  readonly method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  readonly url: string;
  readonly body?: unknown;
  readonly status: number;
  readonly code: string;
  readonly message: RegExp;
}

// What the server holds, and the files in its state folder: a refused call changes neither.
const snapshotOf = async (fixture: ServerFixture, api: ApiCaller): Promise<unknown> => ({
  vms: (await api.call('GET', '/v1/vms')).body,
  files: await fixture.folder.leftovers(),
});

// A create body naming this kernel.
const kernel = (value: string) => ({
  source: { kind: 'config', configuration: { bootSource: { kernel_image_path: value } } },
});

describe('bad input on every route', () => {
  let fixture: ServerFixture;
  let api: ApiCaller;

  beforeAll(async () => {
    fixture = await ServerFixture.create();
    api = await fixture.start({
      limits: { socketWaitTimeoutMs: TEST_WAIT_MS, maxVms: 2, bodyLimitBytes: 65_536 },
    });
    const held = await api.call('POST', '/v1/vms', fixture.vmBody({ id: 'held' }));
    if (held.status !== 201) {
      throw new Error(`could not create the VM the tests use: ${held.text}`);
    }
    // A link inside the images folder that leads out of it.
    await symlink('/etc', path.join(fixture.imagesDir, 'escape'));
  });

  afterAll(async () => {
    await fixture[Symbol.asyncDispose]();
  });

  const CALLS: readonly BadCall[] = [
    {
      what: 'no body',
      method: 'POST',
      url: '/v1/vms',
      status: 400,
      code: 'ERR_INVALID_INPUT',
      message: /^body: /u,
    },
    {
      what: 'not JSON',
      method: 'POST',
      url: '/v1/vms',
      body: '{"source":',
      status: 400,
      code: 'ERR_INVALID_INPUT',
      message: /not valid JSON/u,
    },
    {
      what: 'an unknown source kind',
      method: 'POST',
      url: '/v1/vms',
      body: { source: { kind: 'iso' } },
      status: 400,
      code: 'ERR_INVALID_INPUT',
      message: /^body\.source\.kind: /u,
    },
    {
      what: 'an unknown key',
      method: 'POST',
      url: '/v1/vms',
      body: { ...kernel('vmlinux'), colour: 'red' },
      status: 400,
      code: 'ERR_INVALID_INPUT',
      message: /^body\.colour: unknown key/u,
    },
    {
      what: 'a Firecracker rule broken',
      method: 'POST',
      url: '/v1/vms',
      body: {
        source: {
          kind: 'config',
          configuration: {
            bootSource: { kernel_image_path: 'vmlinux' },
            machineConfig: { vcpu_count: 0, mem_size_mib: 128 },
          },
        },
      },
      status: 400,
      code: 'ERR_INVALID_INPUT',
      message: /^body\.source\.configuration\.machineConfig\.vcpu_count: .*got 0$/u,
    },
    {
      what: 'a bad id',
      method: 'POST',
      url: '/v1/vms',
      body: { id: '../x', ...kernel('vmlinux') },
      status: 400,
      code: 'ERR_INVALID_INPUT',
      message: /^body\.id: expected 1 to 64 ASCII letters/u,
    },
    {
      what: 'a kernel outside the folders',
      method: 'POST',
      url: '/v1/vms',
      body: kernel('/etc/passwd'),
      status: 400,
      code: 'ERR_INVALID_INPUT',
      message:
        /kernel_image_path: "\/etc\/passwd" is outside the folders this server may use; give a path in /u,
    },
    {
      what: 'a relative path climbing out',
      method: 'POST',
      url: '/v1/vms',
      body: kernel('../../../etc/passwd'),
      status: 400,
      code: 'ERR_INVALID_INPUT',
      message: /is outside the folders/u,
    },
    {
      what: 'a symbolic link leading out',
      method: 'POST',
      url: '/v1/vms',
      body: kernel('escape/passwd'),
      status: 400,
      code: 'ERR_INVALID_INPUT',
      message: /is outside the folders/u,
    },
    {
      what: 'a log outside the folders',
      method: 'POST',
      url: '/v1/vms',
      body: {
        source: {
          kind: 'config',
          configuration: {
            bootSource: { kernel_image_path: 'vmlinux' },
            logger: { log_path: '/tmp/kindling-escape.log' },
          },
        },
      },
      status: 400,
      code: 'ERR_INVALID_INPUT',
      message: /logger\.log_path: .* is outside the folders/u,
    },
    {
      what: 'a missing kernel',
      method: 'POST',
      url: '/v1/vms',
      body: kernel('nothing-here'),
      status: 400,
      code: 'ERR_INVALID_INPUT',
      message: /kernel_image_path: no such file/u,
    },
    {
      what: 'a config file outside the folders',
      method: 'POST',
      url: '/v1/vms',
      body: { source: { kind: 'config-file', path: '/etc/hostname' } },
      status: 400,
      code: 'ERR_INVALID_INPUT',
      message: /^body\.source\.path: .* is outside the folders/u,
    },
    {
      what: 'a snapshot outside the folders',
      method: 'POST',
      url: '/v1/vms',
      body: { source: { kind: 'snapshot', snapshotPath: '/etc/hostname', memoryPath: 'x.mem' } },
      status: 400,
      code: 'ERR_INVALID_INPUT',
      message: /^body\.source\.snapshotPath: /u,
    },
    {
      what: 'a taken id',
      method: 'POST',
      url: '/v1/vms',
      body: { id: 'held', ...kernel('vmlinux') },
      status: 409,
      code: 'ERR_VM_EXISTS',
      message: /"held" already exists/u,
    },
    {
      what: 'a body over the limit',
      method: 'POST',
      url: '/v1/vms',
      body: { ...kernel('vmlinux'), labels: { big: 'x'.repeat(70_000) } },
      status: 413,
      code: 'ERR_INVALID_INPUT',
      message: /larger than limits\.bodyLimitBytes/u,
    },
    {
      what: 'a bad id in the path',
      method: 'GET',
      url: '/v1/vms/bad.id',
      status: 400,
      code: 'ERR_INVALID_INPUT',
      message: /^params\.id: /u,
    },
    {
      what: 'an unknown VM',
      method: 'GET',
      url: '/v1/vms/nope',
      status: 404,
      code: 'ERR_VM_NOT_FOUND',
      message: /No VM "nope"/u,
    },
    {
      what: 'pause of an unknown VM',
      method: 'POST',
      url: '/v1/vms/nope/pause',
      status: 404,
      code: 'ERR_VM_NOT_FOUND',
      message: /No VM "nope"/u,
    },
    {
      what: 'resume of a running VM',
      method: 'POST',
      url: '/v1/vms/held/resume',
      status: 409,
      code: 'ERR_WRONG_STATE',
      message: /needs the VM to be "paused", but it is "running"/u,
    },
    {
      what: 'start of a running VM',
      method: 'POST',
      url: '/v1/vms/held/start',
      status: 409,
      code: 'ERR_WRONG_STATE',
      message: /./u,
    },
    {
      what: 'a snapshot path outside the folders',
      method: 'POST',
      url: '/v1/vms/held/snapshots',
      body: { snapshotPath: '/etc/x.state', memoryPath: 'x.mem' },
      status: 400,
      code: 'ERR_INVALID_INPUT',
      message: /^body\.snapshotPath: /u,
    },
    {
      what: 'a snapshot of an unknown type',
      method: 'POST',
      url: '/v1/vms/held/snapshots',
      body: { snapshotPath: 'x.state', memoryPath: 'x.mem', type: 'Half' },
      status: 400,
      code: 'ERR_INVALID_INPUT',
      message: /^body\.type: /u,
    },
    {
      what: 'a stop with a negative timeout',
      method: 'POST',
      url: '/v1/vms/held/stop',
      body: { timeoutMs: -1 },
      status: 400,
      code: 'ERR_INVALID_INPUT',
      message: /^body\.timeoutMs: .*got -1$/u,
    },
    {
      what: 'delete of an unknown VM',
      method: 'DELETE',
      url: '/v1/vms/nope',
      status: 404,
      code: 'ERR_VM_NOT_FOUND',
      message: /No VM "nope"/u,
    },
    {
      what: 'a passthrough path that is no API path',
      method: 'GET',
      url: '/v1/vms/held/firecracker/machine-config%3Fx%3D1',
      status: 400,
      code: 'ERR_INVALID_INPUT',
      message: /^params\.\*: /u,
    },
    {
      what: 'a passthrough to an unknown VM',
      method: 'GET',
      url: '/v1/vms/nope/firecracker/machine-config',
      status: 404,
      code: 'ERR_VM_NOT_FOUND',
      message: /No VM "nope"/u,
    },
    {
      what: 'the events of an unknown VM',
      method: 'GET',
      url: '/v1/vms/nope/events',
      status: 404,
      code: 'ERR_VM_NOT_FOUND',
      message: /No VM "nope"/u,
    },
    {
      what: 'an unknown route',
      method: 'GET',
      url: '/v1/vm',
      status: 404,
      code: 'ERR_ROUTE_NOT_FOUND',
      message: /GET \/openapi\.json lists them/u,
    },
    {
      what: 'a method a route has not',
      method: 'PUT',
      url: '/v1/health',
      status: 404,
      code: 'ERR_ROUTE_NOT_FOUND',
      message: /No route PUT \/v1\/health/u,
    },
  ];

  it.each(CALLS)('$what ($method $url): $status $code, nothing changed', async (call) => {
    const before = await snapshotOf(fixture, api);
    const answer = await api.call(call.method, call.url, call.body);
    expect(answer.status).toBe(call.status);
    expect(answer.body.error).toMatchObject({
      code: call.code,
      message: expect.stringMatching(call.message),
    });
    expect(await snapshotOf(fixture, api)).toEqual(before);
  });

  it('a passthrough refused by Firecracker is its answer, and the VM runs on', async () => {
    const answer = await api.call('PUT', '/v1/vms/held/firecracker/machine-config', {
      vcpu_count: 99,
    });
    expect(answer.status).toBe(400);
    expect(answer.body.fault_message).toMatch(/./u);
    expect((await api.call('GET', '/v1/vms/held')).body.state).toBe('running');
  });

  it('the VM limit: one more VM than limits.maxVms is refused with 503', async () => {
    expect((await api.call('POST', '/v1/vms', fixture.vmBody({ id: 'second' }))).status).toBe(201);
    const before = await snapshotOf(fixture, api);
    const third = await api.call('POST', '/v1/vms', fixture.vmBody({ id: 'third' }));
    expect(third.status).toBe(503);
    expect(third.body.error).toMatchObject({ code: 'ERR_VM_LIMIT' });
    expect(await snapshotOf(fixture, api)).toEqual(before);
  });
});
