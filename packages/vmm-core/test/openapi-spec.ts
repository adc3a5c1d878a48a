// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

/** A schema node of the Swagger 2.0 spec, as far as the conformance test reads it. */
export interface SpecSchema {
  readonly type?: string;
  readonly $ref?: string;
  readonly properties?: Readonly<Record<string, SpecSchema>>;
  readonly required?: readonly string[];
  readonly enum?: readonly unknown[];
  readonly items?: SpecSchema;
  readonly minimum?: number;
  readonly maximum?: number;
  readonly default?: unknown;
}

interface SpecParameter {
  readonly in?: string;
  readonly schema?: SpecSchema;
}

interface SpecOperation {
  readonly parameters?: readonly SpecParameter[];
  readonly responses?: Readonly<Record<string, { readonly schema?: SpecSchema }>>;
}

/** The parts of `firecracker-v1.16.1.openapi.yaml` the conformance test reads. */
export interface OpenApiSpec {
  readonly info: { readonly version: string };
  readonly paths: Readonly<Record<string, Readonly<Record<string, SpecOperation>>>>;
  readonly definitions: Readonly<Record<string, SpecSchema>>;
}

// CI clones the repository with `shared/` beside it: <repo>/../shared/reference/….
const BESIDE_THE_REPOSITORY = fileURLToPath(
  new URL('../../../../shared/reference/firecracker-v1.16.1.openapi.yaml', import.meta.url),
);

/** Where the spec is looked for: `KINDLING_OPENAPI_SPEC`, else beside the repository. */
export const OPENAPI_SPEC_PATH = process.env['KINDLING_OPENAPI_SPEC'] ?? BESIDE_THE_REPOSITORY;

/** Reads the spec, or returns `undefined` when the file is absent. */
export const readOpenApiSpec = (path = OPENAPI_SPEC_PATH): OpenApiSpec | undefined =>
  existsSync(path) ? (parse(readFileSync(path, 'utf8')) as OpenApiSpec) : undefined;

/** The definition name a `$ref` such as `#/definitions/Drive` points to. */
export const refName = (ref: string): string => ref.replace('#/definitions/', '');

/** One use of a definition by an operation: `PUT /drives/{drive_id} body` or `GET / 200`. */
export interface BodyUse {
  readonly operation: string;
  readonly definition: string;
}

/** The definitions of every operation's request body and 200 response. */
export const listBodyDefinitions = (spec: OpenApiSpec): BodyUse[] => {
  const uses: BodyUse[] = [];
  for (const [path, operations] of Object.entries(spec.paths)) {
    for (const [method, operation] of Object.entries(operations)) {
      const name = `${method.toUpperCase()} ${path}`;
      for (const parameter of operation.parameters ?? []) {
        if (parameter.in === 'body' && parameter.schema?.$ref !== undefined) {
          uses.push({ operation: `${name} body`, definition: refName(parameter.schema.$ref) });
        }
      }
      const ok = operation.responses?.['200']?.schema?.$ref;
      if (ok !== undefined) {
        uses.push({ operation: `${name} 200`, definition: refName(ok) });
      }
    }
  }
  return uses;
};
