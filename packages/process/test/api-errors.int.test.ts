// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { once } from 'node:events';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, ApiError, type ApiMethod, type VmmProcess } from '../src/index.js';
import { FakeSetup } from './support/fake-setup.js';
import { rejection } from './support/assertions.js';

let setup: FakeSetup;
let vmm: VmmProcess;

beforeAll(async () => {
  setup = await FakeSetup.create();
  vmm = setup.createProcess({ id: 'api-errors', vmmArguments: { mmdsSizeLimit: 64 } });
  await vmm.prepare();
  await vmm.invoke();
});

afterAll(async () => {
  await vmm[Symbol.asyncDispose]();
  await setup[Symbol.asyncDispose]();
});

// A 503 as status, source and message; any other error as its code and message.
const describeRefusal = (error: unknown): string => {
  const { code, message, status, source, firecrackerMessage } = error as ApiError;
  return code === 'ERR_API_RESPONSE'
    ? `${status} ${source}: ${firecrackerMessage}`
    : `${code}: ${message}`;
};

describe('ApiError from the fake Firecracker', () => {
  it("carries Firecracker's fault_message with status, method and path", async () => {
    const error = await rejection(vmm.api.patch('/machine-config', {}));
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({
      code: 'ERR_API_RESPONSE',
      status: 400,
      method: 'PATCH',
      path: '/machine-config',
      firecrackerMessage: 'Empty PATCH request.',
      source: 'fault_message',
    });
  });

  it("carries serde's text for an unknown field", async () => {
    const error = await rejection(
      vmm.api.put('/machine-config', { vcpu_count: 1, mem_size_mib: 128, x: 1 }),
    );
    expect(error).toMatchObject({ status: 400, source: 'fault_message' });
    expect((error as ApiError).firecrackerMessage).toMatch(
      /^An error occurred when deserializing the json body of a request: unknown field `x`/u,
    );
  });

  it('carries the refusal of an unknown path and of a call before boot', async () => {
    expect(await rejection(vmm.api.get('/foo/bar'))).toMatchObject({
      status: 400,
      firecrackerMessage: 'Invalid request method and/or path: GET foo.',
    });
    expect(await rejection(vmm.api.patch('/vm', { state: 'Paused' }))).toMatchObject({
      status: 400,
      firecrackerMessage: 'The requested operation is not supported before starting the microVM.',
    });
  });

  it("reads the HTTP layer's invalid-JSON body for a payload over the limit, then carries on", async () => {
    const error = await rejection(vmm.api.put('/mmds', { blob: 'x'.repeat(60_000) }));
    expect(error).toMatchObject({ status: 400, source: 'error' });
    expect((error as ApiError).firecrackerMessage).toMatch(
      /^Request payload with size \d+ is larger than the limit of 51200 allowed by server\.\nAll previous unanswered requests will be dropped\.$/u,
    );
    expect((await vmm.api.get('/')).status).toBe(200);
  });

  it("reads the HTTP layer's refusal of a method Firecracker does not serve", async () => {
    const error = await rejection(vmm.api.request('POST' as ApiMethod, '/'));
    expect(error).toMatchObject({ status: 400, source: 'error' });
    expect((error as ApiError).firecrackerMessage).toMatch(/^Invalid HTTP Method/u);
  });

  it('carries the 413 of a full MMDS store', async () => {
    const error = await rejection(vmm.api.put('/mmds', { key: 'y'.repeat(200) }));
    expect(error).toMatchObject({
      status: 413,
      source: 'fault_message',
      firecrackerMessage: "MMDS limit exceeded error: The MMDS patch request doesn't fit.",
    });
  });

  it('carries the 503 an eleventh connection gets', async () => {
    const sockets: net.Socket[] = [];
    try {
      const socketPath = vmm.socketPath as string;
      // The client's own connection is the first of the ten: nine more fill the server.
      await vmm.api.get('/');
      for (let index = 0; index < 9; index += 1) {
        const socket = net.connect(socketPath);
        sockets.push(socket);
        await once(socket, 'connect');
      }
      const extra = new ApiClient({ socketPath });
      try {
        // micro_http writes its 503 and closes at once: a request written after the close fails
        // before the answer is read, and the error then names the limit as a possible cause.
        expect(describeRefusal(await rejection(extra.get('/')))).toMatch(
          /^(?:503 error: Too many open connections|ERR_API_REQUEST: .*fewer than 10 open connections.*)$/u,
        );
      } finally {
        await extra.destroy();
      }
    } finally {
      for (const socket of sockets) {
        socket.destroy();
      }
    }
  });

  it('surfaces Deprecation: true for a deprecated field, and only then', async () => {
    const plain = await vmm.api.put('/machine-config', { vcpu_count: 1, mem_size_mib: 128 });
    expect(plain.deprecated).toBe(false);
    const deprecated = await vmm.api.put('/machine-config', {
      vcpu_count: 1,
      mem_size_mib: 128,
      cpu_template: 'None',
    });
    expect(deprecated).toEqual({ status: 204, body: undefined, deprecated: true });
  });
});
