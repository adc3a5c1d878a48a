// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { describeValue } from '@kindling/helpers';
import { looseAnswer } from './contract/loose-answer.js';
import { ClientError } from './errors.js';
import type { Route } from './routes.js';

/** The methods the Firecracker passthrough forwards (Firecracker's API has no others). */
export type FirecrackerMethod = 'GET' | 'PUT' | 'PATCH' | 'DELETE';
const FIRECRACKER_METHODS: readonly string[] = ['GET', 'PUT', 'PATCH', 'DELETE'];

/** What Firecracker answered through the passthrough: its status and body (JSON, or none). */
export interface FirecrackerAnswer {
  readonly status: number;
  /** The parsed JSON body; `undefined` when Firecracker sent none (204). */
  readonly body: unknown;
}

/** A VM id as a path takes it, or `ERR_INVALID_INPUT`. */
export const requireId = (id: unknown): string => {
  if (typeof id !== 'string' || id === '') {
    throw new ClientError(
      'ERR_INVALID_INPUT',
      `id: expected a VM id (a non-empty string, as listVms() gives them), got ${describeValue(id)}`,
    );
  }
  return id;
};

/** Checks a passthrough call's method and path, or `ERR_INVALID_INPUT` naming the bad one. */
export const requireFirecrackerCall = (method: unknown, path: unknown): void => {
  if (typeof method !== 'string' || !FIRECRACKER_METHODS.includes(method)) {
    throw new ClientError(
      'ERR_INVALID_INPUT',
      `method: expected one of ${FIRECRACKER_METHODS.join(', ')}, got ${describeValue(method)}`,
    );
  }
  if (typeof path !== 'string' || !path.startsWith('/')) {
    throw new ClientError(
      'ERR_INVALID_INPUT',
      `path: expected a Firecracker API path starting with / (e.g. /machine-config), got ${describeValue(path)}`,
    );
  }
};

/** Whether an answer's body is the server's own `{ error: { code } }` (not Firecracker's). */
export const isServerError = (text: string): boolean => {
  try {
    const value = JSON.parse(text) as { error?: { code?: unknown } } | null;
    return typeof value?.error?.code === 'string';
  } catch {
    return false;
  }
};

/** The JSON of an answer, or `ERR_SERVER_RESPONSE`. */
export const parseJson = (
  server: string,
  route: Pick<Route, 'method' | 'path'>,
  text: string,
): unknown => {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new ClientError(
      'ERR_SERVER_RESPONSE',
      `${route.method} ${route.path} at ${server} answered a body that is not JSON: ${JSON.stringify(text.slice(0, 200))}`,
      { cause: error },
    );
  }
};

/** A JSON answer checked against its route's schema, or `ERR_SERVER_RESPONSE` naming what differs. */
export const parseAnswer = (
  server: string,
  route: Route & { readonly answer: { readonly kind: 'json' } },
  text: string,
): unknown => {
  const parsed = looseAnswer(route.answer.schema).safeParse(parseJson(server, route, text));
  if (!parsed.success) {
    throw new ClientError(
      'ERR_SERVER_RESPONSE',
      `${route.method} ${route.path} at ${server} answered a body that is not the route's shape (${parsed.error.issues
        .map((issue) => `${issue.path.join('.') || 'body'}: ${issue.message}`)
        .join('; ')}): are client and server of one version?`,
      { cause: parsed.error },
    );
  }
  return parsed.data;
};
