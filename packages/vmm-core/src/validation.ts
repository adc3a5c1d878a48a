// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { createInputParser } from '@kindling/helpers';
import type { z } from 'zod';
import { VmmCoreError } from './errors.js';

/**
 * Parses a value with a schema, or throws `VmmCoreError` `ERR_INVALID_INPUT` whose message names
 * every bad field (prefixed by `subject`, e.g. `machineConfig`), its value and the rule; an
 * unknown key is named with the key it most likely meant.
 */
export const parseWithSchema: <Schema extends z.ZodType>(
  schema: Schema,
  value: unknown,
  subject: string,
) => z.output<Schema> = createInputParser(
  (message, options) => new VmmCoreError('ERR_INVALID_INPUT', message, options),
);
