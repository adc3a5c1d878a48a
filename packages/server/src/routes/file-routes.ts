// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import type { Readable } from 'node:stream';
import {
  errorBodySchema,
  guestFileListSchema,
  guestFileStatSchema,
  guestPathQuerySchema,
  transferResultSchema,
} from '@kindling/client';
import { list, pullStream, pushStream, stat } from '@kindling/ext-exec';
import { z } from 'zod';
import { vmParamsSchema } from '../api-schemas.js';
import { limitBytes } from '../byte-limit.js';
import { ServerError } from '../errors.js';
import { signalOfRequest } from '../request-signal.js';
import type { ServerServices, ZodApp } from '../server-services.js';

const TAR = 'application/x-tar';

/** A tar archive in the OpenAPI document: bytes, not JSON. */
const archiveSchema = z
  .unknown()
  .meta({ type: 'string', format: 'binary', description: `${TAR}: entry . is the path itself` });

const errors = {
  400: errorBodySchema,
  404: errorBodySchema,
  409: errorBodySchema,
  413: errorBodySchema,
  422: errorBodySchema,
  500: errorBodySchema,
  502: errorBodySchema,
  503: errorBodySchema,
  504: errorBodySchema,
};

// Resolves once the stream has its first bytes, ends, or fails (then rejects): a pull that fails
// at once (a missing path) is answered with its error's status, not a 200 cut short.
const firstBytes = (stream: Readable): Promise<void> =>
  new Promise((resolve, reject) => {
    const settle = (error?: Error): void => {
      stream.off('readable', onReady);
      stream.off('end', onReady);
      stream.off('error', settle);
      if (error === undefined) {
        resolve();
      } else {
        reject(error);
      }
    };
    const onReady = (): void => settle();
    stream.once('readable', onReady);
    stream.once('end', onReady);
    stream.once('error', settle);
  });

// Reads and drops what is left of a request's body; past `limit` bytes, its connection is cut.
const discardRest = (body: Readable, limit: number): void => {
  let dropped = 0;
  body.on('data', (chunk: Buffer) => {
    dropped += chunk.length;
    if (dropped > limit) {
      body.destroy();
    }
  });
  body.resume();
};

/**
 * The guest's files through its exec agent (`@kindling/ext-exec`): a tree in and out as a tar
 * stream (never held whole), and a path's description and a folder's entries as JSON.
 */
export const fileRoutes =
  (services: ServerServices) =>
  (app: ZodApp): void => {
    const { registry, config } = services;
    // The archive stays a stream: Fastify's body limit is for buffered bodies, this one has its own.
    app.addContentTypeParser(TAR, (_request, payload, done) => {
      done(null, payload);
    });

    app.put(
      '/v1/vms/:id/files',
      {
        schema: {
          summary: "Write a tar archive into the VM's guest at path (what was there is replaced)",
          params: vmParamsSchema,
          querystring: guestPathQuerySchema,
          consumes: [TAR],
          body: archiveSchema,
          response: { 200: transferResultSchema, ...errors },
        },
      },
      async (request, reply) => {
        const vm = registry.guest(request.params.id);
        if (!(request.headers['content-type'] ?? '').startsWith(TAR)) {
          throw new ServerError('ERR_INVALID_INPUT', `body: send the archive as ${TAR}`, {
            field: 'body',
          });
        }
        const limited = limitBytes(
          config.limits.archiveLimitBytes,
          'body',
          'limits.archiveLimitBytes',
        );
        // Piped, not pipeline()d: a refusal must not destroy the request (and its socket) before
        // the answer is sent.
        const body = request.body as Readable;
        body.pipe(limited);
        let result;
        try {
          result = await pushStream(vm, limited, request.query.path, {
            signal: signalOfRequest(reply, services.stopping),
          });
        } catch (error) {
          body.unpipe(limited);
          limited.destroy();
          if (limited.errored instanceof ServerError) {
            // Over the limit: the rest is not read, and the connection ends with the answer.
            reply.header('connection', 'close');
            throw limited.errored;
          }
          // Refused for what it holds (a path, an entry): the rest of a body within the limit is
          // read and dropped, so that a client still sending sees the answer, not EPIPE.
          discardRest(body, config.limits.archiveLimitBytes);
          throw error;
        }
        return reply.send(result);
      },
    );

    app.get(
      '/v1/vms/:id/files',
      {
        schema: {
          summary: "The VM's guest path as a tar archive (entry . is the path itself)",
          params: vmParamsSchema,
          querystring: guestPathQuerySchema,
          produces: [TAR],
          response: { 200: archiveSchema, ...errors },
        },
      },
      async (request, reply) => {
        const vm = registry.guest(request.params.id);
        const archive = pullStream(vm, request.query.path, {
          signal: signalOfRequest(reply, services.stopping),
        });
        try {
          await firstBytes(archive);
        } catch (error) {
          archive.destroy();
          throw error;
        }
        return reply.type(TAR).send(archive);
      },
    );

    app.get(
      '/v1/vms/:id/files/stat',
      {
        schema: {
          summary: 'Describe a guest path (a final symlink is described, not followed)',
          params: vmParamsSchema,
          querystring: guestPathQuerySchema,
          response: { 200: guestFileStatSchema, ...errors },
        },
      },
      async (request, reply) => {
        const vm = registry.guest(request.params.id);
        return reply.send(
          await stat(vm, request.query.path, {
            signal: signalOfRequest(reply, services.stopping),
          }),
        );
      },
    );

    app.get(
      '/v1/vms/:id/files/list',
      {
        schema: {
          summary: "A guest folder's entries, sorted by name",
          params: vmParamsSchema,
          querystring: guestPathQuerySchema,
          response: { 200: guestFileListSchema, ...errors },
        },
      },
      async (request, reply) => {
        const vm = registry.guest(request.params.id);
        const entries = await list(vm, request.query.path, {
          signal: signalOfRequest(reply, services.stopping),
        });
        return reply.send({ entries: [...entries] });
      },
    );
  };
