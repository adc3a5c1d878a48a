// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

// Whether two JSON Schemas describe the same JSON: the client's (from its zod schemas) and the
// server's (from its OpenAPI document). Structure is compared (types, enums, property names,
// required ones, items, union alternatives); annotations and bounds (descriptions, patterns,
// minimums) are the server's to enforce, and `additionalProperties` differs on purpose (the
// client reads answers loosely, so that a newer server's fields pass).

/** A JSON Schema, as far as this comparison reads it. */
export interface JsonSchema {
  readonly type?: string | readonly string[];
  readonly enum?: readonly unknown[];
  readonly const?: unknown;
  readonly properties?: Readonly<Record<string, JsonSchema>>;
  readonly required?: readonly string[];
  readonly additionalProperties?: JsonSchema | boolean;
  readonly items?: JsonSchema;
  readonly anyOf?: readonly JsonSchema[];
  readonly oneOf?: readonly JsonSchema[];
}

const STRUCTURE = ['type', 'enum', 'const', 'properties', 'items', 'anyOf', 'oneOf'] as const;

// `{}`, or only annotations: any JSON at all.
const isAny = (schema: JsonSchema): boolean => STRUCTURE.every((key) => schema[key] === undefined);

// A union's alternatives, a `type: [a, b]` as one alternative per type.
const alternativesOf = (schema: JsonSchema): JsonSchema[] => {
  const union = schema.anyOf ?? schema.oneOf;
  if (union !== undefined) {
    return union.flatMap(alternativesOf);
  }
  if (!Array.isArray(schema.type)) {
    return [schema];
  }
  const alternatives: JsonSchema[] = [];
  for (const type of schema.type as readonly string[]) {
    alternatives.push(Object.assign({}, schema, { type }));
  }
  return alternatives;
};

const sorted = (values: readonly unknown[]): string =>
  JSON.stringify(values.map((value) => JSON.stringify(value)).toSorted());

const enumOf = (schema: JsonSchema): readonly unknown[] | undefined =>
  schema.enum ?? (schema.const === undefined ? undefined : [schema.const]);

const compareObjects = (client: JsonSchema, server: JsonSchema, where: string): string[] => {
  const clientKeys = Object.keys(client.properties ?? {});
  const serverKeys = Object.keys(server.properties ?? {});
  const problems: string[] = [];
  for (const key of clientKeys.filter((name) => !serverKeys.includes(name))) {
    problems.push(`${where}.${key}: the client has it, the server does not`);
  }
  for (const key of serverKeys.filter((name) => !clientKeys.includes(name))) {
    problems.push(`${where}.${key}: the server has it, the client does not`);
  }
  if (sorted(client.required ?? []) !== sorted(server.required ?? [])) {
    problems.push(
      `${where}: required ${JSON.stringify(client.required ?? [])} (client) vs ${JSON.stringify(server.required ?? [])} (server)`,
    );
  }
  for (const key of clientKeys.filter((name) => serverKeys.includes(name))) {
    problems.push(
      ...compareSchemas(
        client.properties?.[key] ?? {},
        server.properties?.[key] ?? {},
        `${where}.${key}`,
      ),
    );
  }
  // A record: its values' schema.
  if (
    clientKeys.length === 0 &&
    typeof client.additionalProperties === 'object' &&
    typeof server.additionalProperties === 'object'
  ) {
    problems.push(
      ...compareSchemas(client.additionalProperties, server.additionalProperties, `${where}[*]`),
    );
  }
  return problems;
};

const compareOne = (client: JsonSchema, server: JsonSchema, where: string): string[] => {
  if (client.type !== server.type) {
    return [`${where}: type ${String(client.type)} (client) vs ${String(server.type)} (server)`];
  }
  const clientEnum = enumOf(client);
  const serverEnum = enumOf(server);
  if (
    clientEnum !== undefined &&
    serverEnum !== undefined &&
    sorted(clientEnum) !== sorted(serverEnum)
  ) {
    return [
      `${where}: ${JSON.stringify(clientEnum)} (client) vs ${JSON.stringify(serverEnum)} (server)`,
    ];
  }
  if (client.type === 'object') {
    return compareObjects(client, server, where);
  }
  if (client.type === 'array') {
    return compareSchemas(client.items ?? {}, server.items ?? {}, `${where}[]`);
  }
  return [];
};

/** Where the client's schema and the server's describe different JSON; none when they agree. */
export const compareSchemas = (client: JsonSchema, server: JsonSchema, where: string): string[] => {
  if (isAny(client) || isAny(server)) {
    return [];
  }
  const clientAlternatives = alternativesOf(client);
  const serverAlternatives = alternativesOf(server);
  if (clientAlternatives.length === 1 && serverAlternatives.length === 1) {
    return compareOne(clientAlternatives[0] ?? {}, serverAlternatives[0] ?? {}, where);
  }
  // Each alternative of one side must be one of the other's.
  const unmatched = (from: JsonSchema[], to: JsonSchema[], fromClient: boolean) =>
    from.filter(
      (one) =>
        !to.some(
          (other) =>
            (fromClient ? compareOne(one, other, where) : compareOne(other, one, where)).length ===
            0,
        ),
    );
  return [
    ...unmatched(clientAlternatives, serverAlternatives, true).map(
      (one) =>
        `${where}: the client's alternative ${JSON.stringify(one).slice(0, 160)} is not the server's`,
    ),
    ...unmatched(serverAlternatives, clientAlternatives, false).map(
      (one) =>
        `${where}: the server's alternative ${JSON.stringify(one).slice(0, 160)} is not the client's`,
    ),
  ];
};
