// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import type { ApiMethod } from '@kindling/process';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { errorBodySchema, vmIdSchema } from '@kindling/client';
import { ServerError } from '../errors.js';
import { signalOfRequest } from '../request-signal.js';
import type { ServerServices, ZodApp } from '../server-services.js';

/** Firecracker's API paths: letters, digits, `-`, `_`, `/` (no `..`, no query). */
const API_PATH = /^[A-Za-z0-9_-]+(?:\/[A-Za-z0-9_-]+)*$|^$/u;

/**
 * `/v1/vms/:id/firecracker/*`: any Firecracker API call, for what the typed routes do not cover;
 * Firecracker's status and body come back as it gave them.
 */
export const firecrackerRoutes =
  (services: ServerServices) =>
  (app: ZodApp): void => {
    const params = z.strictObject({ id: vmIdSchema, '*': z.string() });
    const response = {
      200: z.unknown(),
      204: z.null(),
      400: z.unknown().meta({ description: "Firecracker's fault_message, or the server's error" }),
      404: errorBodySchema,
      409: errorBodySchema,
      500: errorBodySchema,
      503: errorBodySchema,
    };
    const summary =
      "Firecracker's API of one VM, passed through (status and body as Firecracker gave)";
    const handler = async (
      request: FastifyRequest<{ Params: z.infer<typeof params>; Body: unknown }>,
      reply: FastifyReply,
    ): Promise<FastifyReply> => {
      const apiPath = request.params['*'];
      if (!API_PATH.test(apiPath)) {
        throw new ServerError(
          'ERR_INVALID_INPUT',
          `params.*: ${JSON.stringify(apiPath)} is not a Firecracker API path; give one such as machine-config or drives/rootfs`,
          { field: 'params.*' },
        );
      }
      const answer = await services.registry.request(
        request.params.id,
        request.method as ApiMethod,
        `/${apiPath}`,
        request.body ?? undefined,
        signalOfRequest(reply, services.stopping),
      );
      reply.code(answer.status);
      return answer.status === 204 ? reply.send(null) : reply.send(answer.body ?? null);
    };
    // GET and DELETE take no body (Fastify refuses a body schema on them); PUT and PATCH do.
    app.route({
      method: ['GET', 'DELETE'],
      url: '/v1/vms/:id/firecracker/*',
      schema: { summary, params, response },
      handler,
    });
    app.route({
      method: ['PUT', 'PATCH'],
      url: '/v1/vms/:id/firecracker/*',
      schema: { summary, params, body: z.unknown().optional(), response },
      handler,
    });
  };
