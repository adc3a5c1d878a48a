// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { ServerError } from './errors.js';

const sameToken = (expected: Buffer, header: string | undefined): boolean => {
  const match = /^Bearer (.+)$/u.exec(header ?? '');
  const given = Buffer.from(match?.[1] ?? '');
  return given.length === expected.length && timingSafeEqual(given, expected);
};

/**
 * The check every request passes first: the bearer token when there is one (compared in constant
 * time), and that the server is not stopping.
 */
export const createRequestGuard = (
  token: string | undefined,
  stopping: AbortSignal,
): ((request: FastifyRequest) => Promise<void>) => {
  const expected = token === undefined ? undefined : Buffer.from(token);
  return (request) => {
    if (expected !== undefined && !sameToken(expected, request.headers.authorization)) {
      return Promise.reject(
        new ServerError(
          'ERR_UNAUTHORIZED',
          'This server needs a bearer token: send "Authorization: Bearer <token>" with the token of its --token-file',
        ),
      );
    }
    if (stopping.aborted) {
      return Promise.reject(
        new ServerError('ERR_SERVER_STOPPING', 'The server is stopping: retry on the next one'),
      );
    }
    return Promise.resolve();
  };
};
