// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { errorBodySchema, execRequestSchema, execResultSchema } from '@kindling/client';
import { exec } from '@kindling/ext-exec';
import { vmParamsSchema } from '../api-schemas.js';
import { signalOfRequest } from '../request-signal.js';
import type { ServerServices, ZodApp } from '../server-services.js';

/** `POST /v1/vms/:id/exec`: one command in the guest, through its exec agent (`@kindling/ext-exec`). */
export const execRoutes =
  (services: ServerServices) =>
  (app: ZodApp): void => {
    app.post(
      '/v1/vms/:id/exec',
      {
        schema: {
          summary:
            "Run a command in the VM's guest to its end (its exec agent on vsock port 10000)",
          params: vmParamsSchema,
          body: execRequestSchema,
          response: {
            200: execResultSchema,
            400: errorBodySchema,
            404: errorBodySchema,
            409: errorBodySchema,
            422: errorBodySchema.meta({ description: 'ERR_EXEC_SPAWN, ERR_EXEC_MAX_BUFFER' }),
            500: errorBodySchema,
            502: errorBodySchema.meta({ description: 'the connection to the agent failed' }),
            503: errorBodySchema,
            504: errorBodySchema.meta({ description: 'ERR_EXEC_TIMEOUT: the command was killed' }),
          },
        },
      },
      async (request, reply) => {
        const vm = services.registry.guest(request.params.id);
        const { argv, ...options } = request.body;
        const result = await exec(vm, argv, {
          ...options,
          encoding: 'utf8',
          signal: signalOfRequest(reply, services.stopping),
        });
        return reply.send({
          exitCode: result.exitCode,
          signal: result.signal,
          stdout: result.stdout,
          stderr: result.stderr,
        });
      },
    );
  };
