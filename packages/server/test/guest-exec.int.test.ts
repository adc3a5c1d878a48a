// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { TEST_WAIT_MS } from '@kindling/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGuestVm } from './support/guest-vm.js';
import { ServerFixture, type ApiCaller } from './support/server-fixture.js';
import { isRealBackend, NEEDS_GUEST } from './support/real-backend.js';

// POST /v1/vms/:id/exec over real HTTP, against the fake guest's exec agent (vsock port 10000).
describe.skipIf(isRealBackend)(`POST /v1/vms/:id/exec ${NEEDS_GUEST}`, () => {
  let fixture: ServerFixture;
  let api: ApiCaller;

  beforeAll(async () => {
    fixture = await ServerFixture.create();
    api = await fixture.start({ limits: { socketWaitTimeoutMs: TEST_WAIT_MS } });
    await createGuestVm(fixture, api, 'runner');
  });

  afterAll(async () => {
    await fixture[Symbol.asyncDispose]();
  });

  it('runs a command with its stdin, env and cwd, and answers its output', async () => {
    await api.call('POST', '/v1/vms/runner/exec', { argv: ['mkdir', '-p', 'work'] });
    const answer = await api.call('POST', '/v1/vms/runner/exec', {
      argv: ['sh', '-c', 'printf "%s:" "$GREETING" "$(basename "$PWD")"; tr a-z A-Z'],
      env: { GREETING: 'hi' },
      cwd: 'work',
      stdin: 'shout',
    });
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ exitCode: 0, signal: null, stdout: 'hi:work:SHOUT', stderr: '' });
  });

  it('answers a non-zero exit as a result, with its stderr', async () => {
    const answer = await api.call('POST', '/v1/vms/runner/exec', {
      argv: ['sh', '-c', 'echo oops >&2; exit 3'],
    });
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ exitCode: 3, signal: null, stdout: '', stderr: 'oops\n' });
  });

  it('kills a command at its timeoutMs: 504 ERR_EXEC_TIMEOUT', async () => {
    const answer = await api.call('POST', '/v1/vms/runner/exec', {
      argv: ['sleep', '30'],
      timeoutMs: 200,
    });
    expect(answer.status).toBe(504);
    expect(answer.body.error?.code).toBe('ERR_EXEC_TIMEOUT');
  });

  it('a command that cannot start: 422 ERR_EXEC_SPAWN', async () => {
    const answer = await api.call('POST', '/v1/vms/runner/exec', {
      argv: ['/no/such/program'],
    });
    expect(answer.status).toBe(422);
    expect(answer.body.error?.code).toBe('ERR_EXEC_SPAWN');
  });

  it.each([
    ['an empty argv', { argv: [] }, 'body.argv'],
    ['a negative timeoutMs', { argv: ['touch', 'ran'], timeoutMs: -1 }, 'body.timeoutMs'],
    ['an unknown field', { argv: ['touch', 'ran'], shell: true }, 'body'],
    ['a stdin that is not text', { argv: ['touch', 'ran'], stdin: 7 }, 'body.stdin'],
  ])('refuses %s with 400 naming it, and runs nothing', async (_what, body, field) => {
    const answer = await api.call('POST', '/v1/vms/runner/exec', body);
    expect(answer.status).toBe(400);
    expect(answer.body.error?.code).toBe('ERR_INVALID_INPUT');
    expect(answer.body.error?.message).toContain(field);
    const ran = await api.call('POST', '/v1/vms/runner/exec', { argv: ['test', '-e', 'ran'] });
    expect(ran.body.exitCode).toBe(1);
  });

  it('an unknown VM: 404 ERR_VM_NOT_FOUND', async () => {
    const answer = await api.call('POST', '/v1/vms/nobody/exec', { argv: ['true'] });
    expect(answer.status).toBe(404);
    expect(answer.body.error?.code).toBe('ERR_VM_NOT_FOUND');
  });
});
