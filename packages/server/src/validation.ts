// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { describeIssues, describePath } from '@kindling/helpers';
import type { FastifySchemaCompiler } from 'fastify';
import type { z } from 'zod';
import { ServerError } from './errors.js';

/**
 * Fastify's validator for the routes' zod schemas, with the SDK's messages: one line per bad
 * field, prefixed by the part of the request (`body.source.configuration.machineConfig.vcpu_count:
 * …, got 0`), an unknown key named with the key it most likely meant.
 */
export const zodValidatorCompiler: FastifySchemaCompiler<z.ZodType> =
  ({ schema, httpPart }) =>
  (data) => {
    const part = httpPart ?? 'request';
    const result = schema.safeParse(data, { reportInput: true });
    if (result.success) {
      return { value: result.data };
    }
    const [first] = result.error.issues;
    return {
      error: new ServerError(
        'ERR_INVALID_INPUT',
        describeIssues(part, result.error.issues, schema),
        {
          cause: result.error,
          field: describePath(part, first?.path ?? []),
        },
      ),
    };
  };
