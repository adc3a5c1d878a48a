// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import type { FastifyReply } from 'fastify';
import { errorBodySchema, vmEventSchema, type VmEvent } from '@kindling/client';
import { vmParamsSchema } from '../api-schemas.js';
import type { ServerServices, ZodApp } from '../server-services.js';

// A comment line keeps idle proxies from closing the stream.
const KEEP_ALIVE_MS = 15_000;

const eventsDescription =
  'text/event-stream: each event is `event: vm` and `data:` one JSON object of this shape';

// Streams events (those `accept` lets through) until the caller leaves or the server stops.
const streamEvents = (
  services: ServerServices,
  reply: FastifyReply,
  accept: (event: VmEvent) => boolean,
): void => {
  reply.hijack();
  const raw = reply.raw;
  raw.writeHead(200, {
    'content-type': 'text/event-stream',
    'cache-control': 'no-cache',
    connection: 'keep-alive',
  });
  raw.write(': kindling events\n\n');
  const unsubscribe = services.events.subscribe((event) => {
    if (accept(event)) {
      raw.write(`event: vm\ndata: ${JSON.stringify(event)}\n\n`);
    }
  });
  const keepAlive = setInterval(() => raw.write(': keep-alive\n\n'), KEEP_ALIVE_MS);
  keepAlive.unref();
  const end = (): void => {
    clearInterval(keepAlive);
    unsubscribe();
    services.stopping.removeEventListener('abort', end);
    raw.end();
  };
  raw.once('close', end);
  services.stopping.addEventListener('abort', end, { once: true });
};

/** `GET /v1/events` and `GET /v1/vms/:id/events`: VM state changes as server-sent events. */
export const eventRoutes =
  (services: ServerServices) =>
  (app: ZodApp): void => {
    app.get(
      '/v1/events',
      {
        schema: {
          summary: "Every VM's state changes, creation and deletion, as server-sent events",
          response: { 200: vmEventSchema.meta({ description: eventsDescription }) },
        },
      },
      (_request, reply) => {
        streamEvents(services, reply, () => true);
      },
    );

    app.get(
      '/v1/vms/:id/events',
      {
        schema: {
          summary: "One VM's state changes as server-sent events",
          params: vmParamsSchema,
          response: {
            200: vmEventSchema.meta({ description: eventsDescription }),
            404: errorBodySchema,
          },
        },
      },
      (request, reply) => {
        const { id } = request.params;
        services.registry.info(id);
        streamEvents(services, reply, (event) => event.id === id);
      },
    );
  };
