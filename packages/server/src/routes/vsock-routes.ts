// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import type { Readable } from 'node:stream';
import { errorBodySchema, vmIdSchema } from '@kindling/client';
import { isKindlingError } from '@kindling/spawner';
import { request as undiciRequest, type Dispatcher } from 'undici';
import { z } from 'zod';
import { signalOfRequest } from '../request-signal.js';
import type { ServerServices, ZodApp } from '../server-services.js';
import { guestDispatcher } from '../guest-dispatchers.js';

/** The methods the guest HTTP route forwards. */
export const GUEST_HTTP_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;

/** Marks an answer that came from the guest, so that a client tells it from the server's own errors. */
export const GUEST_ANSWER_HEADER = 'x-kindling-guest-answer';

// Headers of one hop (RFC 9110 §7.6.1), the caller's token for this server, and its host: not
// forwarded either way.
const NOT_FORWARDED = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'proxy-authenticate',
  'proxy-authorization',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'host',
  'authorization',
]);

const forwardable = (
  headers: Readonly<Record<string, string | string[] | undefined>>,
): Record<string, string | string[]> => {
  const kept: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined && !NOT_FORWARDED.has(name.toLowerCase())) {
      kept[name] = value;
    }
  }
  return kept;
};

// undici wraps the vsock connection's failure; the Kindling error inside says what happened.
const kindlingCauseOf = (error: unknown): unknown => {
  let cause: unknown = error;
  while (cause instanceof Error) {
    if (isKindlingError(cause)) {
      return cause;
    }
    cause = cause.cause;
  }
  return error;
};

/**
 * `/v1/vms/:id/vsock/:port/*`: an HTTP request to the guest's service on a vsock port
 * (`@kindling/ext-http-vsock`); status, headers and body pass through both ways, streamed.
 */
export const vsockRoutes =
  (services: ServerServices) =>
  (app: ZodApp): void => {
    const params = z.strictObject({
      id: vmIdSchema,
      port: z.coerce.number().pipe(z.int().min(1).max(4_294_967_294)),
      '*': z.string(),
    });
    // Its own scope: any body passes through as bytes, whatever its type, never parsed.
    void app.register((scope, _options, done) => {
      scope.removeAllContentTypeParsers();
      scope.addContentTypeParser('*', (_request, payload, parsed) => {
        parsed(null, payload);
      });
      scope.route({
        method: [...GUEST_HTTP_METHODS],
        url: '/v1/vms/:id/vsock/:port/*',
        schema: {
          summary:
            "An HTTP request to the VM's guest on a vsock port: status, headers and body passed through",
          params,
          response: {
            200: z.unknown().meta({ description: "the guest's answer, any status, as it gave it" }),
            400: errorBodySchema,
            404: errorBodySchema,
            409: errorBodySchema,
            500: errorBodySchema,
            502: errorBodySchema.meta({
              description: 'nothing answers on that port, or the connection broke',
            }),
            503: errorBodySchema,
          },
        },
        handler: async (request, reply) => {
          const { id, port } = request.params as z.output<typeof params>;
          const vm = services.registry.guest(id);
          const dispatcher = guestDispatcher(vm, port);
          const rest = (request.params as z.output<typeof params>)['*'];
          const queryAt = request.url.indexOf('?');
          const query = queryAt === -1 ? '' : request.url.slice(queryAt);
          let answer: Dispatcher.ResponseData;
          try {
            answer = await undiciRequest(`${dispatcher.origin}/${rest}${query}`, {
              dispatcher,
              method: request.method,
              headers: forwardable(request.headers),
              body: (request.body as Readable | undefined) ?? null,
              signal: signalOfRequest(reply, services.stopping),
            });
          } catch (error) {
            throw kindlingCauseOf(error);
          }
          // Any status the guest gave, which the route's schema cannot list.
          reply.code(answer.statusCode as 200);
          reply.headers(forwardable(answer.headers));
          reply.header(GUEST_ANSWER_HEADER, 'true');
          return reply.send(answer.body);
        },
      });
      done();
    });
  };
