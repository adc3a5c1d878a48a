// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import type { VsockConnectable } from '@kindling/vm';
import { describe, expect, it } from 'vitest';
import { createGrpcVsockTransport } from './grpc-vsock-transport.js';

// Never called: bad input is refused before any connection is made.
const vm: VsockConnectable = {
  connectVsock: () => Promise.reject(new Error('no connection expected')),
};

describe('createGrpcVsockTransport input', () => {
  it.each([
    [-1, 'port: expected an integer from 0 to 4294967295, got -1'],
    [1.5, 'port: expected an integer from 0 to 4294967295, got 1.5'],
    [2 ** 32, 'port: expected an integer from 0 to 4294967295, got 4294967296'],
    ['9000', 'port: expected a vsock port number, got "9000"'],
  ])('refuses the port %j with ERR_INVALID_INPUT', (port, message) => {
    expect(() => createGrpcVsockTransport(vm, port as number)).toThrow(
      expect.objectContaining({ name: 'GrpcVsockError', code: 'ERR_INVALID_INPUT', message }),
    );
  });

  it.each([
    [
      { connectTimeoutMs: 0 },
      'options.connectTimeoutMs: expected a positive number of milliseconds, got 0',
    ],
    [
      { defaultTimeoutMs: 1.5 },
      'options.defaultTimeoutMs: expected an integer number of milliseconds, got 1.5',
    ],
    [{ interceptors: ['x'] }, 'options.interceptors[0]: expected an interceptor function, got "x"'],
    [{ timeoutMs: 5 }, 'options.timeoutMs: unknown key'],
  ])('refuses the options %j with ERR_INVALID_INPUT naming the field', (options, message) => {
    expect(() => createGrpcVsockTransport(vm, 9000, options as never)).toThrow(
      expect.objectContaining({
        code: 'ERR_INVALID_INPUT',
        message: expect.stringContaining(message) as string,
      }),
    );
  });

  it('refuses something that is not a Vm', () => {
    expect(() => createGrpcVsockTransport({} as VsockConnectable, 9000)).toThrow(
      expect.objectContaining({
        code: 'ERR_INVALID_INPUT',
        message: 'vm: expected a Vm (an object with connectVsock), got object',
      }),
    );
  });

  it('accepts an unbounded handshake and makes no connection until a call', () => {
    const transport = createGrpcVsockTransport(vm, 9000, { connectTimeoutMs: Infinity });
    expect(typeof transport.unary).toBe('function');
    expect(typeof transport.stream).toBe('function');
    transport.close();
  });
});
