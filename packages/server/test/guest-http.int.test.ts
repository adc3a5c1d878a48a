// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { TEST_WAIT_MS } from '@kindling/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGuestVm } from './support/guest-vm.js';
import { ServerFixture, type ApiCaller } from './support/server-fixture.js';
import { isRealBackend, NEEDS_GUEST } from './support/real-backend.js';

// /v1/vms/:id/vsock/:port/* over real HTTP, against the fake guest's HTTP service on port 8000.
describe.skipIf(isRealBackend)(`the guest HTTP route ${NEEDS_GUEST}`, () => {
  let fixture: ServerFixture;
  let api: ApiCaller;

  beforeAll(async () => {
    fixture = await ServerFixture.create();
    api = await fixture.start({ limits: { socketWaitTimeoutMs: TEST_WAIT_MS } });
    await createGuestVm(fixture, api, 'web');
  });

  afterAll(async () => {
    await fixture[Symbol.asyncDispose]();
  });

  it('POST /v1/vms/:id/vsock/8000/ping: the guest computes, its status and body come back', async () => {
    const answer = await api.call('POST', '/v1/vms/web/vsock/8000/ping', { a: 6, b: 7 });
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ c: 42 });
    expect(answer.headers['x-kindling-guest-answer']).toBe('true');
  });

  it('passes any body through as bytes, whatever its type', async () => {
    const text = 'not JSON at all \u{1F525}';
    const answer = await api.call('POST', '/v1/vms/web/vsock/8000/echo', text, {
      'content-type': 'text/plain; charset=utf-8',
    });
    expect(answer.status).toBe(200);
    expect(answer.text).toBe(text);
  });

  it('GET /v1/vms/:id/vsock/8000/: the guest names itself', async () => {
    const answer = await api.call('GET', '/v1/vms/web/vsock/8000/');
    expect(answer.body).toEqual({ service: 'kindling-fake-guest', port: 8000 });
  });

  it('a port where nothing listens: 502 ERR_VSOCK_CLOSED', async () => {
    const answer = await api.call('GET', '/v1/vms/web/vsock/9999/');
    expect(answer.status).toBe(502);
    expect(answer.body.error?.code).toBe('ERR_VSOCK_CLOSED');
  });

  it('a port that is not a number: 400 naming it', async () => {
    const answer = await api.call('GET', '/v1/vms/web/vsock/http/');
    expect(answer.status).toBe(400);
    expect(answer.body.error?.message).toContain('port');
  });

  it('an unknown VM: 404 ERR_VM_NOT_FOUND', async () => {
    const answer = await api.call('GET', '/v1/vms/nobody/vsock/8000/');
    expect(answer.status).toBe(404);
    expect(answer.body.error?.code).toBe('ERR_VM_NOT_FOUND');
  });
});
