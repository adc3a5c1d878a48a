// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import path from 'node:path';
import { catchError } from '@kindling/test-utils';
import { describe, expect, it } from 'vitest';
import { ClientError } from './errors.js';
import { parseServerTarget } from './server-target.js';

describe('parseServerTarget', () => {
  it('reads a path or unix: as the Unix socket, resolved from the working directory', () => {
    expect(parseServerTarget('/run/kindling.sock')).toEqual({
      kind: 'unix',
      socketPath: '/run/kindling.sock',
    });
    expect(parseServerTarget('unix:state/api.sock')).toEqual({
      kind: 'unix',
      socketPath: path.resolve('state/api.sock'),
    });
  });

  it('reads http:// and https:// as TCP, with TLS for https', () => {
    expect(parseServerTarget('http://127.0.0.1:7070')).toEqual({
      kind: 'tcp',
      origin: 'http://127.0.0.1:7070',
      tls: false,
    });
    expect(parseServerTarget('https://host.example:7443/')).toEqual({
      kind: 'tcp',
      origin: 'https://host.example:7443',
      tls: true,
    });
  });

  it.each([
    ['', 'options.server: give the Unix socket path'],
    ['ftp://host', 'options.server: give the Unix socket path'],
    ['http://host:7070/v1', "give the server's origin only"],
    ['http://user:secret@host:7070', "give the server's origin only"],
  ])('refuses %j with ERR_INVALID_INPUT', async (server, message) => {
    const error = await catchError(() => parseServerTarget(server));
    expect(error).toBeInstanceOf(ClientError);
    expect(error).toMatchObject({ code: 'ERR_INVALID_INPUT' });
    expect((error as Error).message).toContain(message);
  });
});
