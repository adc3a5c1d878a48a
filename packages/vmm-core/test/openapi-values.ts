// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { KNOWN_DEVIATIONS } from './openapi-deviations.js';
import { refName, type SpecSchema } from './openapi-spec.js';

// Where Firecracker's code accepts more than its spec says (section 14 of firecracker.md), a body
// that uses it is accepted: `Logger.level [enum]` (any case).
const TOLERATED = new Set(
  KNOWN_DEVIATIONS.filter((deviation) => deviation.source === 'code').map(
    (deviation) => `${deviation.where} [${deviation.aspect}]`,
  ),
);

const typeOf = (value: unknown): string => {
  if (Array.isArray(value)) {
    return 'array';
  }
  if (typeof value === 'number') {
    return Number.isInteger(value) ? 'integer' : 'number';
  }
  return value === null ? 'null' : typeof value;
};

const fitsType = (expected: string, value: unknown): boolean => {
  const actual = typeOf(value);
  return actual === expected || (expected === 'number' && actual === 'integer');
};

interface Walk {
  readonly definitions: Readonly<Record<string, SpecSchema>>;
  readonly tolerated: ReadonlySet<string>;
  readonly problems: string[];
}

const checkObject = (where: string, value: object, spec: SpecSchema, walk: Walk): void => {
  const fields = spec.properties ?? {};
  for (const field of spec.required ?? []) {
    if (!(field in value) || (value as Record<string, unknown>)[field] === undefined) {
      walk.problems.push(`${where}.${field}: required by the spec, missing`);
    }
  }
  for (const [field, item] of Object.entries(value)) {
    const fieldSpec = fields[field];
    if (fieldSpec === undefined) {
      walk.problems.push(`${where}.${field}: not in the spec (Firecracker denies unknown fields)`);
    } else if (item !== undefined && !(item === null && !(spec.required ?? []).includes(field))) {
      // null is serde's None for an optional field; undefined is never sent.
      checkNode(`${where}.${field}`, item, fieldSpec, walk);
    }
  }
};

const checkNode = (where: string, value: unknown, specNode: SpecSchema, walk: Walk): void => {
  const spec =
    specNode.$ref === undefined ? specNode : (walk.definitions[refName(specNode.$ref)] ?? {});
  const type = spec.type ?? (spec.properties === undefined ? undefined : 'object');
  if (type !== undefined && !fitsType(type, value)) {
    walk.problems.push(`${where}: the spec says ${type}, got ${typeOf(value)}`);
    return;
  }
  if (
    spec.enum !== undefined &&
    !spec.enum.includes(value) &&
    !walk.tolerated.has(`${where} [enum]`)
  ) {
    walk.problems.push(
      `${where}: not one of ${JSON.stringify(spec.enum)}: ${JSON.stringify(value)}`,
    );
  }
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) {
      walk.problems.push(`${where}: ${value} is not a JSON number`);
    }
    if (spec.minimum !== undefined && value < spec.minimum) {
      walk.problems.push(`${where}: ${value} is below the spec's minimum ${spec.minimum}`);
    }
    if (spec.maximum !== undefined && value > spec.maximum) {
      walk.problems.push(`${where}: ${value} is above the spec's maximum ${spec.maximum}`);
    }
  }
  if (typeof value === 'string' && !value.isWellFormed()) {
    walk.problems.push(`${where}: a lone surrogate, which serde_json refuses`);
  }
  if (Array.isArray(value) && spec.items !== undefined) {
    for (const [index, item] of value.entries()) {
      checkNode(`${where}[${index}]`, item, spec.items, walk);
    }
  }
  if (
    type === 'object' &&
    typeof value === 'object' &&
    value !== null &&
    spec.properties !== undefined
  ) {
    checkObject(where, value, spec, walk);
  }
};

/**
 * What in a body, as it is sent (after `JSON.stringify`), the spec's definition refuses: a missing
 * required field, an unknown field, a wrong type, a value outside an enum or a bound, a number JSON
 * cannot carry, a string serde_json cannot read. Where Firecracker's code is known to accept more
 * than its spec (a `code` deviation), the body may use it. Empty when the body conforms.
 */
export const findSpecViolations = (
  body: unknown,
  definition: string,
  definitions: Readonly<Record<string, SpecSchema>>,
): string[] => {
  const walk: Walk = { definitions, tolerated: TOLERATED, problems: [] };
  const sent: unknown = JSON.parse(JSON.stringify(body) ?? 'null');
  checkNode(definition, sent, { $ref: `#/definitions/${definition}` }, walk);
  return walk.problems;
};
