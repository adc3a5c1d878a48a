// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ROUTES, type Route } from '@kindling/client';
import { compareSchemas, type JsonSchema } from './support/schema-agreement.js';
import { TestServer } from './support/test-server.js';

interface Content {
  readonly content?: Record<string, { readonly schema?: JsonSchema }>;
}
interface Operation {
  readonly requestBody?: Content;
  readonly responses?: Record<string, Content>;
}
interface OpenApiDocument {
  readonly openapi: string;
  readonly paths: Record<string, Record<string, Operation>>;
}

// The methods Firecracker's API has, which the passthrough route must forward; and those the
// guest HTTP route forwards.
const FIRECRACKER_METHODS = ['get', 'put', 'patch', 'delete'];
const GUEST_HTTP_METHODS = ['get', 'post', 'put', 'patch', 'delete'];
const ANY_METHODS: Readonly<Record<string, string[]>> = {
  '/v1/vms/{id}/firecracker/*': FIRECRACKER_METHODS,
  '/v1/vms/{id}/vsock/{port}/*': GUEST_HTTP_METHODS,
};
// Routes the server has that are not the client's to call.
const NOT_CLIENT_ROUTES = new Set(['get /openapi.json']);

const methodsOf = (route: Route): string[] =>
  route.method === 'ANY' ? (ANY_METHODS[route.path] ?? []) : [route.method.toLowerCase()];

// The document spells Fastify's wildcard `{*}`; the client's table `*`.
const documentPath = (route: Route): string => route.path.replace(/\*$/u, '{*}');

const jsonSchemaOf = (schema: z.ZodType, io: 'input' | 'output'): JsonSchema =>
  z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as JsonSchema;

const operationOf = (document: OpenApiDocument, route: Route, method: string): Operation =>
  document.paths[documentPath(route)]?.[method] ?? {};

// The statuses a route's operation answers with, for each of its methods.
const statusesOf = (document: OpenApiDocument, route: Route): string[][] =>
  methodsOf(route).map((method) =>
    Object.keys(operationOf(document, route, method).responses ?? {}),
  );

// The JSON schema of a route's request body, or of its success answer, in the document ({} if none,
// which the test refuses).
const servedSchemaOf = (
  document: OpenApiDocument,
  route: Route,
  part: 'request' | 'answer',
): JsonSchema | undefined => {
  const operation = operationOf(document, route, methodsOf(route)[0] ?? '');
  const content =
    part === 'request'
      ? operation.requestBody?.content
      : operation.responses?.[String(route.status)]?.content;
  return content?.['application/json']?.schema;
};

type Checked = [name: string, route: Route, schema: z.ZodType];

// The routes with a body, and those answering JSON (or events of JSON), with their schemas.
const bodiesOf = (entries: [string, Route][]): Checked[] =>
  entries.flatMap(([name, route]): Checked[] =>
    route.body === undefined ? [] : [[name, route, route.body]],
  );
const answersOf = (entries: [string, Route][]): Checked[] =>
  entries.flatMap(([name, route]): Checked[] =>
    route.answer.kind === 'json' || route.answer.kind === 'events'
      ? [[name, route, route.answer.schema]]
      : [],
  );

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
    expect(served.filter((line) => !NOT_CLIENT_ROUTES.has(line)).toSorted()).toEqual(
      called.toSorted(),
    );
  });

  it('would see a difference: a field renamed, an enum narrowed, a union alternative changed', () => {
    const served = servedSchemaOf(document, ROUTES.getVm, 'answer') as JsonSchema;
    const changed = JSON.parse(
      JSON.stringify(served).replace('"adopted"', '"adoptedAt"').replace(',"crashed"', ''),
    ) as JsonSchema;
    expect(
      compareSchemas(jsonSchemaOf(ROUTES.getVm.answer.schema, 'output'), changed, 'answer'),
    ).toEqual([
      'answer.adopted: the client has it, the server does not',
      'answer.adoptedAt: the server has it, the client does not',
      'answer.state: ["not-started","running","paused","exited","crashed"] (client) vs ["not-started","running","paused","exited"] (server)',
    ]);
    const body = servedSchemaOf(document, ROUTES.createVm, 'request') as JsonSchema;
    const jailedAs = JSON.parse(JSON.stringify(body).replace('"jailed"', '"jail"')) as JsonSchema;
    expect(compareSchemas(jsonSchemaOf(ROUTES.createVm.body, 'input'), jailedAs, 'body')).toEqual([
      expect.stringMatching(/^body\.executor: the client's alternative .*"jailed"/u),
      expect.stringMatching(/^body\.executor: the server's alternative .*"jail"/u),
    ]);
  });

  it.each(entries)(
    '%s: its method and path are served, with its success status',
    (_name, route) => {
      for (const statuses of statusesOf(document, route)) {
        expect(statuses).toContain(String(route.status));
      }
    },
  );

  it.each(bodiesOf(entries))("%s: its request body is the server's", (_name, route, body) => {
    const served = servedSchemaOf(document, route, 'request');
    expect(served).toBeDefined();
    expect(compareSchemas(jsonSchemaOf(body, 'input'), served as JsonSchema, 'body')).toEqual([]);
  });

  it.each(answersOf(entries))("%s: its answer is the server's", (_name, route, answer) => {
    const served = servedSchemaOf(document, route, 'answer');
    expect(served).toBeDefined();
    expect(compareSchemas(jsonSchemaOf(answer, 'output'), served as JsonSchema, 'answer')).toEqual(
      [],
    );
  });
});
