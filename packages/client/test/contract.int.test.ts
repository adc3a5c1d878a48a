// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ROUTES, type Route } from '../src/index.js';
import { compareSchemas, type JsonSchema } from './support/schema-agreement.js';
import { TestServer } from './support/test-server.js';

interface Operation {
  readonly requestBody?: { readonly content?: Record<string, { readonly schema?: JsonSchema }> };
  readonly responses?: Record<string, { readonly content?: Record<string, { readonly schema?: JsonSchema }> }>;
}
interface OpenApiDocument {
  readonly openapi: string;
  readonly paths: Record<string, Record<string, Operation>>;
}

// The methods Firecracker's API has, which the passthrough route must forward.
const FIRECRACKER_METHODS = ['get', 'put', 'patch', 'delete'];
// Routes the server has that are not the client's to call.
const NOT_CLIENT_ROUTES = ['get /openapi.json'];

const methodsOf = (route: Route): string[] =>
  route.method === 'ANY' ? FIRECRACKER_METHODS : [route.method.toLowerCase()];

// The document spells Fastify's wildcard `{*}`; the client's table `*`.
const documentPath = (route: Route): string => route.path.replace(/\*$/u, '{*}');

const jsonSchemaOf = (schema: z.ZodType, io: 'input' | 'output'): JsonSchema =>
  z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as JsonSchema;

const operationOf = (document: OpenApiDocument, route: Route, method: string): Operation | undefined =>
  document.paths[documentPath(route)]?.[method];

describe("the client's routes against the server's OpenAPI document", async () => {
  await using server = await TestServer.start();
  const document = (await server.openApi()) as OpenApiDocument;
  const entries = Object.entries(ROUTES) as [string, Route][];

  it('is OpenAPI 3.1, and every route of the server is one the client calls', () => {
    expect(document.openapi).toBe('3.1.0');
    const served = Object.entries(document.paths).flatMap(([path, operations]) =>
      Object.keys(operations).map((method) => `${method} ${path}`),
    );
    const called = entries.flatMap(([, route]) =>
      methodsOf(route).map((method) => `${method} ${documentPath(route)}`),
    );
    expect(served.filter((line) => !NOT_CLIENT_ROUTES.includes(line)).sort()).toEqual(called.sort());
  });

  it.each(entries)('%s: its method and path are served, with its success status', (_name, route) => {
    for (const method of methodsOf(route)) {
      expect(Object.keys(operationOf(document, route, method)?.responses ?? {})).toContain(
        String(route.status),
      );
    }
  });

  it.each(entries.filter(([, route]) => route.body !== undefined))(
    "%s: its request body is the server's",
    (_name, route) => {
      const served = operationOf(document, route, methodsOf(route)[0] ?? '')?.requestBody?.content?.[
        'application/json'
      ]?.schema;
      expect(served).toBeDefined();
      expect(compareSchemas(jsonSchemaOf(route.body as z.ZodType, 'input'), served ?? {}, 'body')).toEqual([]);
    },
  );

  it.each(entries.filter(([, route]) => route.answer.kind === 'json' || route.answer.kind === 'events'))(
    "%s: its answer is the server's",
    (_name, route) => {
      const answer = route.answer as { readonly schema: z.ZodType };
      const served = operationOf(document, route, methodsOf(route)[0] ?? '')?.responses?.[
        String(route.status)
      ]?.content?.['application/json']?.schema;
      expect(served).toBeDefined();
      expect(compareSchemas(jsonSchemaOf(answer.schema, 'output'), served ?? {}, 'answer')).toEqual([]);
    },
  );
});
