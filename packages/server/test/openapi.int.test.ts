// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { describe, expect, it } from 'vitest';
import { ServerFixture } from './support/server-fixture.js';

// Fastify's `:id` and `*` as OpenAPI writes them: `{id}` and `{*}`.
const openApiPathOf = (url: string): string =>
  url.replaceAll(/:([A-Za-z]+)/gu, '{$1}').replace(/\*$/u, '{*}');

describe('GET /openapi.json', () => {
  it('is OpenAPI 3.1 and lists exactly the routes the server has, method by method', async () => {
    await using fixture = await ServerFixture.create();
    const api = await fixture.start();
    const answer = await api.call('GET', '/openapi.json');
    expect(answer.status).toBe(200);
    const document = answer.body as {
      openapi: string;
      paths: Record<string, Record<string, unknown>>;
    };
    expect(document.openapi).toBe('3.1.0');
    const documented = Object.entries(document.paths)
      .flatMap(([path, operations]) =>
        Object.keys(operations).map((method) => `${method.toUpperCase()} ${path}`),
      )
      .toSorted();
    const served = (fixture.server?.routes ?? [])
      .map((route) => {
        const [method = '', url = ''] = route.split(' ');
        return `${method} ${openApiPathOf(url)}`;
      })
      .toSorted();
    expect(served.length).toBeGreaterThan(15);
    expect(documented).toEqual(served);
  });

  it('describes each body with the SDK schemas: a VM configuration is vmm-core’s models', async () => {
    await using fixture = await ServerFixture.create();
    const api = await fixture.start();
    const document = (await api.call('GET', '/openapi.json')).body;
    const create = document.paths['/v1/vms'].post;
    const body = create.requestBody.content['application/json'].schema;
    const config = body.properties.source.oneOf ?? body.properties.source.anyOf;
    const configuration = config.find(
      (option: { properties: { kind: { enum: string[] } } }) =>
        option.properties.kind.enum[0] === 'config',
    ).properties.configuration;
    // Firecracker's own names and rules, from the same zod schema the SDK validates with.
    expect(configuration.required).toEqual(['bootSource']);
    expect(configuration.properties.machineConfig.properties.vcpu_count).toMatchObject({
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
