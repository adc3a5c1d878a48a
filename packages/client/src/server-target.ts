// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import path from 'node:path';
import { describeValue } from '@kindling/helpers';
import { ClientError } from './errors.js';

/** Where a server listens: its Unix socket, or the origin of its TCP (or TLS) listener. */
export type ServerTarget =
  | { readonly kind: 'unix'; readonly socketPath: string }
  | { readonly kind: 'tcp'; readonly origin: string; readonly tls: boolean };

const FIX =
  'give the Unix socket path (absolute, or ./relative) or an http:// or https:// URL, e.g. http://127.0.0.1:7070';

/**
 * Resolves what `--server` or `options.server` names: `http://host:port` or `https://…` is TCP;
 * `unix:/path` or a path is the server's Unix socket (resolved from the working directory).
 */
export const parseServerTarget = (server: string, subject = 'options.server'): ServerTarget => {
  if (server.trim() === '') {
    throw new ClientError('ERR_INVALID_INPUT', `${subject}: ${FIX}, got ${describeValue(server)}`);
  }
  if (server.startsWith('unix:')) {
    return { kind: 'unix', socketPath: path.resolve(server.slice('unix:'.length)) };
  }
  if (!/^[a-z][a-z0-9+.-]*:\/\//iu.test(server)) {
    return { kind: 'unix', socketPath: path.resolve(server) };
  }
  let url: URL;
  try {
    url = new URL(server);
  } catch (error) {
    throw new ClientError('ERR_INVALID_INPUT', `${subject}: ${FIX}, got ${describeValue(server)}`, {
      cause: error,
    });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ClientError('ERR_INVALID_INPUT', `${subject}: ${FIX}, got ${describeValue(server)}`);
  }
  if (url.pathname !== '/' || url.search !== '' || url.username !== '' || url.password !== '') {
    throw new ClientError(
      'ERR_INVALID_INPUT',
      `${subject}: give the server's origin only (no path, query or credentials: the token goes in options.token), got ${describeValue(server)}`,
    );
  }
  return { kind: 'tcp', origin: url.origin, tls: url.protocol === 'https:' };
};
