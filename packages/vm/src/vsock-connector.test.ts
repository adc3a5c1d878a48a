// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { Socket } from 'node:net';
import { describe, expect, it, vi } from 'vitest';
import { VmError } from './errors.js';
import { createVsockConnector, type VsockConnectable } from './vsock-connector.js';

const connectableThat = (result: () => Promise<Socket>) => {
  const connectVsock = vi.fn<VsockConnectable['connectVsock']>(result);
  return { vm: { connectVsock }, connectVsock };
};

// Calls the connector as undici does, and settles with what the callback was given.
const callConnector = (connector: ReturnType<typeof createVsockConnector>) =>
  new Promise<[Error | null, Socket | null]>((resolve) => {
    connector({ hostname: 'guest', protocol: 'http:', port: '' }, (error, socket) =>
      resolve([error, socket]),
    );
  });

describe('createVsockConnector', () => {
  it('connects each time through vm.connectVsock with the port and options it was made with', async () => {
    const socket = new Socket();
    const { vm, connectVsock } = connectableThat(() => Promise.resolve(socket));
    const controller = new AbortController();
    const connector = createVsockConnector(vm, 8000, { timeoutMs: 500, signal: controller.signal });
    expect(await callConnector(connector)).toEqual([null, socket]);
    expect(await callConnector(connector)).toEqual([null, socket]);
    expect(connectVsock.mock.calls).toEqual([
      [8000, { timeoutMs: 500, signal: controller.signal }],
      [8000, { timeoutMs: 500, signal: controller.signal }],
    ]);
  });

  it('hands undici the error of a failed connection', async () => {
    const refusal = new VmError('ERR_VSOCK_CLOSED', 'closed');
    const { vm } = connectableThat(() => Promise.reject(refusal));
    expect(await callConnector(createVsockConnector(vm, 8000))).toEqual([refusal, null]);
  });

  it('refuses a port Firecracker cannot take, when made', () => {
    const { vm } = connectableThat(() => Promise.resolve(new Socket()));
    expect(() => createVsockConnector(vm, 2 ** 32)).toThrow(
      expect.objectContaining({
        code: 'ERR_INVALID_INPUT',
        message: 'port: expected an integer from 0 to 4294967295, got 4294967296',
      }),
    );
  });
});
