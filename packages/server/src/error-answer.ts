// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { isKindlingError } from '@kindling/spawner';
import { ServerError } from './errors.js';

/** The HTTP status of each code the API answers with; any other code is a 500. */
const STATUS_OF_CODE: Readonly<Record<string, number>> = {
  ERR_INVALID_INPUT: 400,
  ERR_UNAUTHORIZED: 401,
  ERR_VM_NOT_FOUND: 404,
  ERR_ROUTE_NOT_FOUND: 404,
  ERR_VM_EXISTS: 409,
  ERR_WRONG_STATE: 409,
  ERR_RESTORE_PATH_MISMATCH: 409,
  ERR_VM_ENDED: 409,
  // The guest's exec agent and its files (@kindling/ext-exec).
  ERR_EXEC_SPAWN: 422,
  ERR_EXEC_MAX_BUFFER: 422,
  ERR_EXEC_PTY_UNAVAILABLE: 422,
  ERR_EXEC_FILE_OPERATION: 422,
  ERR_EXEC_PATH_ESCAPE: 400,
  ERR_EXEC_TAR: 400,
  ERR_EXEC_NOT_FOUND: 404,
  ERR_EXEC_TIMEOUT: 504,
  ERR_WAIT_TIMEOUT: 504,
  ERR_EXEC_CONNECTION_CLOSED: 502,
  ERR_EXEC_PROTOCOL: 502,
  ERR_EXEC_AGENT_VERSION: 502,
  // Nothing listens on the guest's port, or the connection to it broke.
  ERR_VSOCK_CLOSED: 502,
  ERR_VSOCK_CONNECT: 502,
  ERR_VSOCK_HANDSHAKE: 502,
  ERR_VM_LIMIT: 503,
  ERR_SERVER_STOPPING: 503,
};

// Fastify's own refusals of a request, before any route runs.
const FASTIFY_REFUSALS: Readonly<Record<string, string>> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'the request body is larger than limits.bodyLimitBytes',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'send the body as application/json',
  FST_ERR_CTP_EMPTY_JSON_BODY:
    'a body declared as JSON must not be empty; send {} or no Content-Type',
  FST_ERR_CTP_INVALID_JSON_BODY: 'the body is not valid JSON',
};

/** An error answer: `{ error: { code, message, field? } }` with its status. */
export interface ErrorAnswer {
  readonly status: number;
  readonly body: { error: { code: string; message: string; field?: string } };
}

/** What the API answers for an error a route or Fastify threw. */
export const answerOfError = (error: unknown): ErrorAnswer => {
  const fastifyCode = (error as { code?: unknown } | null)?.code;
  if (typeof fastifyCode === 'string' && fastifyCode in FASTIFY_REFUSALS) {
    const status = (error as { statusCode?: number }).statusCode ?? 400;
    return {
      status,
      body: {
        error: {
          code: 'ERR_INVALID_INPUT',
          message: `body: ${FASTIFY_REFUSALS[fastifyCode]} (${(error as Error).message})`,
          field: 'body',
        },
      },
    };
  }
  // JSON that does not parse: Fastify's SyntaxError with status 400.
  if (error instanceof SyntaxError && (error as { statusCode?: number }).statusCode === 400) {
    return {
      status: 400,
      body: {
        error: {
          code: 'ERR_INVALID_INPUT',
          message: `body: not valid JSON (${error.message})`,
          field: 'body',
        },
      },
    };
  }
  if (isKindlingError(error)) {
    const field = error instanceof ServerError ? error.field : undefined;
    const status = error instanceof ServerError ? error.status : undefined;
    return {
      status: status ?? STATUS_OF_CODE[error.code] ?? 500,
      body: {
        error: {
          code: error.code,
          message: error.message,
          ...(field === undefined ? {} : { field }),
        },
      },
    };
  }
  return {
    status: 500,
    body: {
      error: {
        code: 'ERR_INTERNAL',
        message: `The server failed: ${(error as Error | undefined)?.message ?? String(error)}`,
      },
    },
  };
};
