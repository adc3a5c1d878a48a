// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { isDeepStrictEqual } from 'node:util';
import { z } from 'zod';
import { refName, type SpecSchema } from './openapi-spec.js';

/** What a difference between a zod schema and the spec is about. */
export type Aspect =
  'type' | 'enum' | 'required' | 'minimum' | 'maximum' | 'missing-field' | 'extra-field';

/** One difference, located as `Model.field.subfield`. */
export interface Difference {
  readonly where: string;
  readonly aspect: Aspect;
  readonly detail: string;
}

/** The JSON Schema (draft 2020-12) that `z.toJSONSchema` writes, as far as it is compared. */
interface JsonSchema {
  readonly type?: string | readonly string[];
  readonly properties?: Readonly<Record<string, JsonSchema>>;
  readonly required?: readonly string[];
  readonly enum?: readonly unknown[];
  readonly items?: JsonSchema;
  readonly anyOf?: readonly JsonSchema[];
  readonly minimum?: number;
  readonly maximum?: number;
}

/** The JSON Schema of what a zod schema accepts (its input side), without the `$schema` key. */
export const toInputJsonSchema = (schema: z.ZodType): JsonSchema => {
  const { $schema: _, ...json } = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' });
  return json as JsonSchema;
};

// `null` in a JSON Schema is serde's `None`; the spec writes such fields as merely optional.
const withoutNull = (schema: JsonSchema): JsonSchema => {
  if (schema.anyOf !== undefined) {
    const options = schema.anyOf.filter((option) => option.type !== 'null');
    return options.length === 1 && options[0] !== undefined
      ? withoutNull(options[0])
      : { ...schema, anyOf: options };
  }
  if (Array.isArray(schema.type)) {
    const types = schema.type.filter((type) => type !== 'null');
    return { ...schema, type: types.length === 1 ? types[0] : types };
  }
  return schema;
};

const describeType = (schema: JsonSchema): string => {
  if (schema.anyOf !== undefined) {
    return schema.anyOf.map(describeType).join(' | ');
  }
  if (Array.isArray(schema.type)) {
    return schema.type.join(' | ');
  }
  return typeof schema.type === 'string' ? schema.type : 'any';
};

const specType = (spec: SpecSchema): string | undefined =>
  spec.type ?? (spec.properties === undefined ? undefined : 'object');

interface CompareContext {
  readonly definitions: Readonly<Record<string, SpecSchema>>;
  /** The JSON Schema of the model each definition is mapped to, to skip nested copies. */
  readonly mapped: ReadonlyMap<string, JsonSchema>;
  readonly differences: Difference[];
}

const compareEnum = (
  where: string,
  spec: SpecSchema,
  mine: JsonSchema,
  context: CompareContext,
) => {
  if (spec.enum === undefined) {
    return;
  }
  if (mine.enum === undefined) {
    context.differences.push({
      where,
      aspect: 'enum',
      detail: `the spec lists ${JSON.stringify(spec.enum)}; Kindling's schema has no enum`,
    });
    return;
  }
  const missing = spec.enum.filter((value) => !mine.enum?.includes(value));
  const extra = mine.enum.filter((value) => !spec.enum?.includes(value));
  if (missing.length > 0 || extra.length > 0) {
    context.differences.push({
      where,
      aspect: 'enum',
      detail: `Kindling lacks ${JSON.stringify(missing)} and adds ${JSON.stringify(extra)}`,
    });
  }
};

const compareBounds = (
  where: string,
  spec: SpecSchema,
  mine: JsonSchema,
  context: CompareContext,
) => {
  for (const aspect of ['minimum', 'maximum'] as const) {
    if (spec[aspect] !== undefined && spec[aspect] !== mine[aspect]) {
      context.differences.push({
        where,
        aspect,
        detail: `the spec says ${spec[aspect]}, Kindling ${mine[aspect] ?? 'none'}`,
      });
    }
  }
};

const compareObject = (
  where: string,
  spec: SpecSchema,
  mine: JsonSchema,
  context: CompareContext,
) => {
  const specFields = spec.properties ?? {};
  const myFields = mine.properties ?? {};
  const specRequired = new Set(spec.required ?? []);
  const myRequired = new Set(mine.required ?? []);
  for (const field of Object.keys(specFields)) {
    if (!(field in myFields)) {
      context.differences.push({
        where: `${where}.${field}`,
        aspect: 'missing-field',
        detail: 'in the spec only',
      });
    }
  }
  for (const [field, mySchema] of Object.entries(myFields)) {
    const specField = specFields[field];
    if (specField === undefined) {
      context.differences.push({
        where: `${where}.${field}`,
        aspect: 'extra-field',
        detail: 'in Kindling only',
      });
      continue;
    }
    if (specRequired.has(field) !== myRequired.has(field)) {
      context.differences.push({
        where: `${where}.${field}`,
        aspect: 'required',
        detail: `required in ${specRequired.has(field) ? 'the spec' : 'Kindling'} only`,
      });
    }
    compareNode(`${where}.${field}`, specField, mySchema, context);
  }
};

/**
 * Compares one spec node with one JSON Schema node, recording every difference in names, types,
 * required fields, enums and declared bounds. A `$ref` whose model is checked on its own is not
 * walked again unless this use of it differs from that model.
 */
export const compareNode = (
  where: string,
  specNode: SpecSchema,
  myNode: JsonSchema,
  context: CompareContext,
): void => {
  const mine = withoutNull(myNode);
  let spec = specNode;
  if (specNode.$ref !== undefined) {
    const name = refName(specNode.$ref);
    const mapped = context.mapped.get(name);
    if (mapped !== undefined && isDeepStrictEqual(withoutNull(mapped), mine)) {
      return;
    }
    spec = context.definitions[name] ?? {};
  }
  const expectedType = specType(spec);
  if (expectedType !== undefined && describeType(mine) !== expectedType) {
    context.differences.push({
      where,
      aspect: 'type',
      detail: `the spec says ${expectedType}, Kindling ${describeType(mine)}`,
    });
    return;
  }
  compareEnum(where, spec, mine, context);
  compareBounds(where, spec, mine, context);
  if (expectedType === 'object') {
    compareObject(where, spec, mine, context);
  } else if (expectedType === 'array' && spec.items !== undefined && mine.items !== undefined) {
    compareNode(`${where}[]`, spec.items, mine.items, context);
  }
};

/** A zod schema checked against a spec definition; `name` locates its differences. */
export interface ModelMapping {
  readonly name: string;
  readonly definition: string;
  readonly schema: z.ZodType;
}

/** Every difference between the mapped zod schemas and their spec definitions. */
export const findDifferences = (
  definitions: Readonly<Record<string, SpecSchema>>,
  mappings: readonly ModelMapping[],
): Difference[] => {
  const jsonSchemas = mappings.map((mapping) => ({
    ...mapping,
    json: toInputJsonSchema(mapping.schema),
  }));
  const mapped = new Map<string, JsonSchema>();
  for (const { name, definition, json } of jsonSchemas) {
    if (name === definition) {
      mapped.set(definition, json);
    }
  }
  const context: CompareContext = { definitions, mapped, differences: [] };
  for (const { name, definition, json } of jsonSchemas) {
    compareNode(name, definitions[definition] ?? {}, json, context);
  }
  return context.differences;
};
