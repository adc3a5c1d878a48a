// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import path from 'node:path';
import {
  createSnapshotRequestSchema,
  createVmRequestSchema,
  errorBodySchema,
  snapshotInfoSchema,
  vmInfoSchema,
  vmListSchema,
} from '@kindling/client';
import { z } from 'zod';
import { stopVmBodySchema, vmParamsSchema } from '../api-schemas.js';
import { resolveAllowedPath } from '../host-paths.js';
import { signalOfRequest } from '../request-signal.js';
import type { ServerServices, ZodApp } from '../server-services.js';

const errors = {
  400: errorBodySchema,
  404: errorBodySchema,
  409: errorBodySchema,
  500: errorBodySchema,
  503: errorBodySchema,
};

/** How long `stop` waits for the guest to end after Ctrl+Alt+Del, unless told. */
const DEFAULT_STOP_TIMEOUT_MS = 10_000;

/** The typed VM routes: create, list, inspect, start, pause, resume, snapshot, stop, delete. */
export const vmRoutes =
  (services: ServerServices) =>
  (app: ZodApp): void => {
    const { registry, config, stopping } = services;

    app.post(
      '/v1/vms',
      {
        schema: {
          summary: 'Create a VM (and start it unless start is false)',
          body: createVmRequestSchema,
          response: { 201: vmInfoSchema, ...errors },
        },
      },
      async (request, reply) => {
        const info = await registry.create(request.body, signalOfRequest(reply, stopping));
        return reply.code(201).send(info);
      },
    );

    app.get(
      '/v1/vms',
      { schema: { summary: 'List the VMs', response: { 200: vmListSchema, ...errors } } },
      (_request, reply) => {
        reply.send({ vms: registry.list() });
      },
    );

    app.get(
      '/v1/vms/:id',
      {
        schema: {
          summary: 'One VM',
          params: vmParamsSchema,
          response: { 200: vmInfoSchema, ...errors },
        },
      },
      (request, reply) => {
        reply.send(registry.info(request.params.id));
      },
    );

    for (const action of ['start', 'pause', 'resume'] as const) {
      app.post(
        `/v1/vms/:id/${action}`,
        {
          schema: {
            summary: `${action[0]?.toUpperCase()}${action.slice(1)} a VM`,
            params: vmParamsSchema,
            response: { 200: vmInfoSchema, ...errors },
          },
        },
        async (request, reply) =>
          reply.send(await registry[action](request.params.id, signalOfRequest(reply, stopping))),
      );
    }

    app.post(
      '/v1/vms/:id/snapshots',
      {
        schema: {
          summary: 'Snapshot a VM (a running one is paused for it, then resumed)',
          params: vmParamsSchema,
          body: createSnapshotRequestSchema,
          response: { 201: snapshotInfoSchema, ...errors },
        },
      },
      async (request, reply) => {
        const { id } = request.params;
        // Checked before the VM is paused: a refused path changes nothing.
        registry.info(id);
        const base = path.join(config.stateDir, 'snapshots');
        const snapshotPath = await resolveAllowedPath(
          config,
          'body.snapshotPath',
          request.body.snapshotPath,
          base,
        );
        const memoryPath = await resolveAllowedPath(
          config,
          'body.memoryPath',
          request.body.memoryPath,
          base,
        );
        const type = request.body.type ?? 'Full';
        await registry.snapshot(
          id,
          type,
          snapshotPath,
          memoryPath,
          signalOfRequest(reply, stopping),
        );
        return reply.code(201).send({ vmId: id, snapshotPath, memoryPath, type });
      },
    );

    app.post(
      '/v1/vms/:id/stop',
      {
        schema: {
          summary:
            'Stop a VM: Ctrl+Alt+Del, then a kill after timeoutMs; a kill at once with force',
          params: vmParamsSchema,
          body: stopVmBodySchema,
          response: { 200: vmInfoSchema, ...errors },
        },
      },
      async (request, reply) => {
        const info = await registry.stop(
          request.params.id,
          {
            timeoutMs: request.body?.timeoutMs ?? DEFAULT_STOP_TIMEOUT_MS,
            force: request.body?.force ?? false,
          },
          signalOfRequest(reply, stopping),
        );
        return reply.send(info);
      },
    );

    app.delete(
      '/v1/vms/:id',
      {
        schema: {
          summary: 'Delete a VM: killed if it runs, everything it made removed',
          params: vmParamsSchema,
          response: { 204: z.null().meta({ description: 'Deleted' }), ...errors },
        },
      },
      async (request, reply) => {
        await registry.delete(request.params.id);
        return reply.code(204).send(null);
      },
    );
  };
