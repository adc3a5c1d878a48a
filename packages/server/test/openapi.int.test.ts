// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { describe, expect, it } from 'vitest';
import { ServerFixture } from './support/server-fixture.js';

interface OpenApiDocument {
  readonly openapi: string;
  readonly paths: Record<string, Record<string, unknown>>;
}

interface JsonSchema {
  readonly required?: string[];
  readonly properties: Record<string, JsonSchema> & {
    readonly kind: { readonly enum: string[] };
  };
  readonly oneOf: JsonSchema[];
  readonly minimum?: number;
  readonly maximum?: number;
}

interface CreateOperation {
  readonly requestBody: { content: Record<string, { schema: JsonSchema }> };
  readonly responses: Record<string, unknown>;
}

const createOperationOf = (document: OpenApiDocument): CreateOperation =>
  document.paths['/v1/vms']?.['post'] as CreateOperation;

// The schema of `source.configuration` in `POST /v1/vms`'s body.
const configurationSchemaOf = (create: CreateOperation): JsonSchema => {
  const body = create.requestBody.content['application/json']?.schema;
  const option = body?.properties['source']?.oneOf.find(
    (candidate) => candidate.properties.kind.enum[0] === 'config',
  );
  const configuration = option?.properties['configuration'];
  if (configuration === undefined) {
    throw new Error('POST /v1/vms documents no source.configuration');
  }
  return configuration;
};

// `METHOD /url` with Fastify's `:id` and `*` as OpenAPI writes them: `{id}` and `{*}`.
const openApiRouteOf = (route: string): string => {
  const [method, url] = route.split(' ') as [string, string];
  return `${method} ${url.replaceAll(/:([A-Za-z]+)/gu, '{$1}').replace(/\*$/u, '{*}')}`;
};

describe('GET /openapi.json', () => {
  it('is OpenAPI 3.1 and lists exactly the routes the server has, method by method', async () => {
    await using fixture = await ServerFixture.create();
    const api = await fixture.start();
    const answer = await api.call('GET', '/openapi.json');
    expect(answer.status).toBe(200);
    const document = answer.body as unknown as OpenApiDocument;
    expect(document.openapi).toBe('3.1.0');
    const documented = Object.entries(document.paths)
      .flatMap(([path, operations]) =>
        Object.keys(operations).map((method) => `${method.toUpperCase()} ${path}`),
      )
      .toSorted();
    const served = fixture.routes.map(openApiRouteOf).toSorted();
    expect(served.length).toBeGreaterThan(15);
    expect(documented).toEqual(served);
  });

  it('describes each body with the SDK schemas: a VM configuration is vmm-core’s models', async () => {
    await using fixture = await ServerFixture.create();
    const api = await fixture.start();
    const document = (await api.call('GET', '/openapi.json')).body as unknown as OpenApiDocument;
    const create = createOperationOf(document);
    const configuration = configurationSchemaOf(create);
    // Firecracker's own names and rules, from the same zod schema the SDK validates with.
    expect(configuration.required).toEqual(['bootSource']);
    expect(configuration.properties['machineConfig']?.properties['vcpu_count']).toMatchObject({
      minimum: 1,
      maximum: 32,
    });
    expect(Object.keys(create.responses).toSorted()).toEqual([
      '201',
      '400',
      '404',
      '409',
      '500',
      '503',
    ]);
  });
});

describe('GET /openapi.json: the guest routes', () => {
  it('describes the tar archives as binary, in and out', async () => {
    await using fixture = await ServerFixture.create();
    const api = await fixture.start();
    const document = (await api.call('GET', '/openapi.json')).body as unknown as OpenApiDocument;
    const files = document.paths['/v1/vms/{id}/files'] as Record<
      string,
      {
        requestBody?: { content: Record<string, { schema: unknown }> };
        responses: Record<string, { content: Record<string, { schema: unknown }> }>;
      }
    >;
    expect(files['put']?.requestBody?.content).toEqual({
      'application/x-tar': {
        schema: expect.objectContaining({ type: 'string', format: 'binary' }),
      },
    });
    expect(files['get']?.responses['200']?.content).toEqual({
      'application/x-tar': {
        schema: expect.objectContaining({ type: 'string', format: 'binary' }),
      },
    });
  });
});
