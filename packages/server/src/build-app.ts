// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import fastifySwagger from '@fastify/swagger';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import {
  jsonSchemaTransform,
  serializerCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import { answerOfError } from './error-answer.js';
import { ServerError } from './errors.js';
import { createRequestGuard } from './request-guard.js';
import { allRoutes } from './routes/all-routes.js';
import type { ServerServices } from './server-services.js';
import { zodValidatorCompiler } from './validation.js';

/** How the app is built beyond its services. */
export interface AppOptions {
  /** The bearer token every request must carry (TCP listeners); undefined for none. */
  readonly token?: string | undefined;
  /** Receives each route as Fastify registers it (method and URL), e.g. to check the document. */
  readonly onRoute?: (method: string, url: string) => void;
  /** TLS for Fastify's HTTPS server. */
  readonly https?: { readonly cert: Buffer; readonly key: Buffer } | undefined;
}

/**
 * The Fastify app of the API: zod validates every request (the SDK's messages), answers are
 * checked against their schemas, the OpenAPI 3.1 document is generated from the same schemas.
 */
export const buildApp = async (
  services: ServerServices,
  options: AppOptions = {},
): Promise<FastifyInstance> => {
  const fastifyOptions: FastifyServerOptions = {
    bodyLimit: services.config.limits.bodyLimitBytes,
    // Every VM call has its own bound; the connection's idle limit is Node's.
    logger: false,
    // Event streams stay open: closing the server ends them rather than waiting for them.
    forceCloseConnections: 'idle',
    // HEAD only where a route says so: the OpenAPI document lists exactly the routes there are.
    exposeHeadRoutes: false,
  };
  const app = (options.https === undefined
    ? Fastify(fastifyOptions)
    : Fastify({
        ...fastifyOptions,
        https: { cert: options.https.cert, key: options.https.key },
      } as unknown as FastifyServerOptions)) as unknown as FastifyInstance;
  const onRoute = options.onRoute;
  if (onRoute !== undefined) {
    app.addHook('onRoute', (route) => {
      for (const method of [route.method].flat()) {
        onRoute(method, route.url);
      }
    });
  }
  app.setValidatorCompiler(zodValidatorCompiler);
  app.setSerializerCompiler(serializerCompiler);

  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Kindling server',
        description: 'Every Firecracker microVM on a host behind one REST API',
        version: services.version,
      },
      ...(options.token === undefined
        ? {}
        : {
            components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
            security: [{ bearer: [] }],
          }),
    },
    transform: jsonSchemaTransform,
  });

  app.addHook('onRequest', createRequestGuard(options.token, services.stopping));
  // While stopping, an answer closes its connection: Node's close() only ends connections idle
  // when it is called, so a keep-alive one freed by a cancelled call would hold the stop.
  app.addHook('onSend', (_request, reply, payload, done) => {
    if (services.stopping.aborted) {
      reply.header('connection', 'close');
    }
    done(null, payload);
  });

  app.setErrorHandler((error, _request, reply) => {
    const answer = answerOfError(error);
    return reply
      .code(answer.status)
      .type('application/json')
      .serializer(JSON.stringify)
      .send(answer.body);
  });
  app.setNotFoundHandler((request, reply) => {
    const answer = answerOfError(
      new ServerError(
        'ERR_ROUTE_NOT_FOUND',
        `No route ${request.method} ${request.url.split('?')[0] ?? ''}: GET /openapi.json lists them`,
      ),
    );
    return reply.code(answer.status).send(answer.body);
  });

  await app.withTypeProvider<ZodTypeProvider>().register(allRoutes(services));
  await app.ready();
  return app;
};
