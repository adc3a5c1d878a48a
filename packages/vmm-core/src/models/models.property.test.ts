// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import {
  anyJsonValue,
  balloonArbitrary,
  bootSourceArbitrary,
  checkParsedOrRefused,
  driveArbitrary,
  garbage,
  hostileString,
  loggerArbitrary,
  machineConfigArbitrary,
  metricsArbitrary,
  mmdsConfigArbitrary,
  networkInterfaceArbitrary,
  rateLimiterArbitrary,
  vsockArbitrary,
  whenParsed,
  withOneFieldChanged,
  type GeneratedBody,
} from '@kindling/helpers/testing';
import * as fc from 'fast-check';
import { assert, property, type Arbitrary } from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { MODEL_MAPPINGS } from '../../test/openapi-models.js';
import { findSpecViolations } from '../../test/openapi-values.js';
import { OPENAPI_SPEC_PATH, readOpenApiSpec } from '../../test/openapi-spec.js';
import { VmmCoreError } from '../errors.js';
import { parseWithSchema } from '../validation.js';
import * as models from './index.js';

const spec = readOpenApiSpec();
const definitions = spec?.definitions ?? {};
const noSpec =
  spec === undefined ? ` [spec checks skipped: no OpenAPI spec at ${OPENAPI_SPEC_PATH}]` : '';

const SUBJECT = 'body';
const refusal = (names: string | readonly string[]) => ({ errorClass: VmmCoreError, names });

// Every exported schema: the spec's models, and those no definition describes on its own.
const EVERY_SCHEMA: readonly (readonly [string, z.ZodType])[] = Object.entries(models).flatMap(
  ([name, value]) => (name.endsWith('Schema') ? [[name, value as z.ZodType] as const] : []),
);

describe('every model, given anything', () => {
  it.each(EVERY_SCHEMA)(
    '%s parses it or refuses it with ERR_INVALID_INPUT naming the body',
    (_name, schema) => {
      assert(
        property(garbage(), (input) => {
          checkParsedOrRefused(() => parseWithSchema(schema, input, SUBJECT), refusal(SUBJECT));
        }),
        { numRuns: 200 },
      );
    },
  );
});

// A body Firecracker accepts, per model, and the fields a refusal of a changed field may name
// besides the changed one (the rules that relate fields name the field they judge).
interface ValidBody {
  readonly definition: string;
  readonly schema: z.ZodType;
  readonly valid: Arbitrary<GeneratedBody>;
  readonly related: readonly string[];
}

const VALID_BODIES: readonly ValidBody[] = [
  {
    definition: 'MachineConfiguration',
    schema: models.machineConfigurationSchema,
    valid: machineConfigArbitrary,
    related: ['vcpu_count', 'mem_size_mib'],
  },
  {
    definition: 'BootSource',
    schema: models.bootSourceSchema,
    valid: bootSourceArbitrary,
    related: [],
  },
  {
    definition: 'Drive',
    schema: models.driveSchema,
    valid: driveArbitrary,
    related: ['path_on_host', 'socket', 'is_read_only', 'rate_limiter', 'io_engine'],
  },
  {
    definition: 'NetworkInterface',
    schema: models.networkInterfaceSchema,
    valid: networkInterfaceArbitrary,
    related: [],
  },
  { definition: 'Vsock', schema: models.vsockSchema, valid: vsockArbitrary, related: [] },
  {
    definition: 'Balloon',
    schema: models.balloonSchema,
    valid: balloonArbitrary(1 << 20),
    related: [],
  },
  {
    definition: 'MmdsConfig',
    schema: models.mmdsConfigSchema,
    valid: mmdsConfigArbitrary(['eth0', 'eth1']),
    related: [],
  },
  { definition: 'Logger', schema: models.loggerSchema, valid: loggerArbitrary, related: [] },
  { definition: 'Metrics', schema: models.metricsSchema, valid: metricsArbitrary, related: [] },
  {
    definition: 'RateLimiter',
    schema: models.rateLimiterSchema,
    valid: rateLimiterArbitrary,
    related: [],
  },
];

describe.each(VALID_BODIES)('$definition', ({ definition, schema, valid, related }) => {
  it(`parses every valid body into one the spec accepts${noSpec}`, () => {
    assert(
      property(valid, (body) => {
        const parsed = parseWithSchema(schema, body, SUBJECT);
        expect(findSpecViolations(parsed, definition, definitions)).toEqual([]);
      }),
      { numRuns: 200 },
    );
  });

  // A body with one field changed is refused naming that field (or a related one), or parsed into
  // a body the spec accepts; fast-check's assert throws the counterexample it finds.
  const checkOneFieldChanged = (changed: ReturnType<typeof withOneFieldChanged>): void => {
    assert(
      property(changed, ({ value, field }) => {
        whenParsed(
          checkParsedOrRefused(
            () => parseWithSchema(schema, value, SUBJECT),
            refusal([
              `${SUBJECT}.${field}`,
              `"${field}"`,
              ...related.map((name) => `${SUBJECT}.${name}`),
            ]),
          ),
          (parsed) => {
            expect(findSpecViolations(parsed, definition, definitions)).toEqual([]);
          },
        );
      }),
      { numRuns: 300 },
    );
  };

  it(`with a hostile string in one field, refuses it naming the field or parses it into a body the spec accepts${noSpec}`, () => {
    expect(() => checkOneFieldChanged(withOneFieldChanged(valid, hostileString()))).not.toThrow();
  });

  it(`with one field changed, refuses it naming the field or parses it into a body the spec accepts${noSpec}`, () => {
    expect(() => checkOneFieldChanged(withOneFieldChanged(valid))).not.toThrow();
  });
});

describe('the MMDS data store', () => {
  it('takes any JSON value as it is, and refuses a string JSON cannot carry to Firecracker, naming its path', () => {
    assert(
      property(
        fc.oneof(anyJsonValue, fc.dictionary(hostileString(), hostileString())),
        (contents) => {
          whenParsed(
            checkParsedOrRefused(
              () => parseWithSchema(models.mmdsContentsSchema, contents, 'mmds'),
              refusal('mmds'),
            ),
            (parsed) => {
              expect(JSON.stringify(parsed)).toBe(JSON.stringify(contents));
              expect(
                findSpecViolations({ text: JSON.stringify(parsed) }, 'Probe', {
                  Probe: { properties: { text: { type: 'string' } } },
                }),
              ).toEqual([]);
            },
          );
        },
      ),
      { numRuns: 300 },
    );
  });
});

it('checks the bodies of the spec models it lists', () => {
  const mapped = new Set(MODEL_MAPPINGS.map((mapping) => mapping.definition));
  expect(VALID_BODIES.filter((body) => !mapped.has(body.definition))).toEqual([]);
});
