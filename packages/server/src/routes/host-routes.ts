// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { performance } from 'node:perf_hooks';
import { z } from 'zod';
import { errorBodySchema, healthSchema } from '@kindling/client';
import type { ServerServices, ZodApp } from '../server-services.js';

/** `GET /v1/health`, `GET /v1/metrics` and `GET /openapi.json`. */
export const hostRoutes =
  (services: ServerServices) =>
  (app: ZodApp): void => {
    app.get(
      '/v1/health',
      {
        schema: {
          summary: "The server's version, how many VMs it holds, and what it recovered at start",
          response: { 200: healthSchema, 500: errorBodySchema },
        },
      },
      (_request, reply) => {
        reply.send({
          version: services.version,
          vms: services.registry.size,
          uptimeMs: Math.round(performance.now() - services.startedAt),
          recovered: services.registry.recovered,
        });
      },
    );

    app.get(
      '/v1/metrics',
      {
        schema: {
          summary: "Every VM's Firecracker metrics in Prometheus' text format",
          response: { 200: z.string().meta({ description: 'text/plain; version=0.0.4' }) },
        },
      },
      async (_request, reply) => {
        const text = await services.exporter.registry.metrics();
        return reply.type(services.exporter.registry.contentType).send(text);
      },
    );

    app.get(
      '/openapi.json',
      {
        schema: {
          summary: 'This document: the API in OpenAPI 3.1',
          response: { 200: z.record(z.string(), z.unknown()) },
        },
      },
      (_request, reply) => {
        reply.send(app.swagger() as unknown as Record<string, unknown>);
      },
    );
  };
