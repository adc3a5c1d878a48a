// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import * as models from '../src/models/index.js';
import { findDifferences, type Difference } from './openapi-compare.js';
import { KNOWN_DEVIATIONS, SECTION_14_CONFLICTS } from './openapi-deviations.js';
import {
  MODEL_MAPPINGS,
  SCHEMAS_WITHOUT_DEFINITION,
  UNMAPPED_DEFINITIONS,
} from './openapi-models.js';
import {
  OPENAPI_SPEC_PATH,
  listBodyDefinitions,
  readOpenApiSpec,
  type OpenApiSpec,
  type SpecSchema,
} from './openapi-spec.js';

const loadedSpec = readOpenApiSpec();
const noSpec = loadedSpec === undefined;
const spec: OpenApiSpec = loadedSpec ?? { info: { version: '' }, paths: {}, definitions: {} };
const skipped = noSpec
  ? ` [skipped: no OpenAPI spec at ${OPENAPI_SPEC_PATH}; set KINDLING_OPENAPI_SPEC to its path]`
  : '';
if (noSpec) {
  console.warn(`openapi-conformance: no spec at ${OPENAPI_SPEC_PATH}; spec comparisons skipped`);
}

// firecracker.md sits beside the spec; its section 14 is the list of known conflicts.
const firecrackerDocPath = path.join(path.dirname(OPENAPI_SPEC_PATH), 'firecracker.md');
const firecrackerDoc = existsSync(firecrackerDocPath)
  ? readFileSync(firecrackerDocPath, 'utf8')
  : '';

const keyOf = (entry: { where: string; aspect: string }): string =>
  `${entry.where} [${entry.aspect}]`;
const describeDifference = (difference: Difference): string =>
  `${keyOf(difference)}: ${difference.detail}`;

const mappedDefinitions = new Set(MODEL_MAPPINGS.map((mapping) => mapping.definition));
const mappedSchemas = new Set<unknown>(MODEL_MAPPINGS.map((mapping) => mapping.schema));

const definition = (name: string): SpecSchema => spec.definitions[name] ?? {};

const findUnaccountedDefinitions = (): string[] =>
  Object.keys(spec.definitions).filter(
    (name) => !mappedDefinitions.has(name) && !(name in UNMAPPED_DEFINITIONS),
  );

const findMissingDefinitions = (): string[] =>
  MODEL_MAPPINGS.map((mapping) => mapping.definition).filter((name) => !(name in spec.definitions));

const findUnaccountedSchemas = (): string[] =>
  Object.entries(models)
    .filter(([name, value]) => name.endsWith('Schema') && !mappedSchemas.has(value))
    .map(([name]) => name)
    .filter((name) => !(name in SCHEMAS_WITHOUT_DEFINITION));

// The comparison's differences that are not listed, and the listed ones it no longer finds.
const compareWithSpec = (): { unexpected: string[]; stale: string[] } => {
  const found = findDifferences(spec.definitions, MODEL_MAPPINGS);
  const listed = new Set(KNOWN_DEVIATIONS.map(keyOf));
  const foundKeys = new Set(found.map(keyOf));
  return {
    unexpected: found
      .filter((difference) => !listed.has(keyOf(difference)))
      .map(describeDifference),
    stale: KNOWN_DEVIATIONS.map(keyOf).filter((key) => !foundKeys.has(key)),
  };
};

const specLogLevels = (): string[] =>
  (definition('Logger').properties?.['level']?.enum ?? []).map(String);

const headOnlyDeviations = new Set(
  KNOWN_DEVIATIONS.filter((deviation) => deviation.source === 'head-only').map(
    (deviation) => deviation.where,
  ),
);

const section14Items = (): string[] =>
  (firecrackerDoc.split('\n## 14.')[1]?.split('\n## ')[0] ?? '')
    .split('\n')
    .filter((line) => line.startsWith('- '));

const hintingStartBody = (): string | undefined =>
  spec.paths['/balloon/hinting/start']?.['patch']?.parameters?.find(
    (parameter) => parameter.in === 'body',
  )?.schema?.$ref;

const accepts = (schema: z.ZodType, value: unknown): boolean => schema.safeParse(value).success;

const virtioBlock = { drive_id: 'rootfs', is_root_device: true, path_on_host: '/rootfs.ext4' };

describe(`the models against the Firecracker v1.16.1 OpenAPI spec${skipped}`, () => {
  it.skipIf(noSpec)('reads the v1.16.1 spec', () => {
    expect(spec.info.version).toBe('1.16.1');
  });

  it.skipIf(noSpec)('maps every definition to a model, or says why not', () => {
    expect(findUnaccountedDefinitions()).toEqual([]);
    expect(findMissingDefinitions()).toEqual([]);
  });

  it.skipIf(noSpec)('has a model for the body and the 200 response of every operation', () => {
    const uses = listBodyDefinitions(spec);
    expect(uses.length).toBeGreaterThan(30);
    expect(uses.filter((use) => !mappedDefinitions.has(use.definition))).toEqual([]);
  });

  it.skipIf(noSpec)(
    'agrees on field names, types, required fields, enums and bounds, except the listed deviations',
    () => {
      const { unexpected, stale } = compareWithSpec();
      expect(unexpected, 'differences missing from KNOWN_DEVIATIONS').toEqual([]);
      expect(stale, 'KNOWN_DEVIATIONS the comparison no longer finds').toEqual([]);
    },
  );

  it.skipIf(noSpec)('accepts every log level the spec lists, in any case', () => {
    const levels = specLogLevels();
    expect(levels).toEqual(['Error', 'Warning', 'Info', 'Debug', 'Trace', 'Off']);
    for (const level of levels) {
      expect(accepts(models.loggerLevelSchema, level), level).toBe(true);
      expect(accepts(models.loggerLevelSchema, level.toUpperCase()), level).toBe(true);
    }
  });
});

describe('the conformance bookkeeping', () => {
  it('maps or explains every exported schema', () => {
    expect(findUnaccountedSchemas()).toEqual([]);
  });

  it('lists each field of FIRECRACKER_HEAD_ONLY_FIELDS as a head-only deviation', () => {
    const fields = models.FIRECRACKER_HEAD_ONLY_FIELDS.map(
      (field) => `${field.definition}.${field.field}`,
    );
    expect(fields.filter((field) => !headOnlyDeviations.has(field))).toEqual([]);
  });

  it('catches a missing field, an extra field, a wrong type, a required mismatch, an enum and a bound', () => {
    const definitions = {
      Sample: {
        type: 'object',
        required: ['id', 'count'],
        properties: {
          id: { type: 'string' },
          count: { type: 'integer', minimum: 1 },
          kind: { type: 'string', enum: ['A', 'B'] },
          flag: { type: 'boolean' },
          limiter: { $ref: '#/definitions/Inner' },
        },
      },
      Inner: { type: 'object', properties: { size: { type: 'integer' } } },
    };
    const sample = z.strictObject({
      id: z.string().optional(),
      count: z.int().min(0),
      kind: z.enum(['A', 'C']),
      flag: z.string().optional(),
      limiter: z.strictObject({ size: z.string().optional() }).nullish(),
      extra: z.number(),
    });
    const found = findDifferences(definitions, [
      { name: 'Sample', definition: 'Sample', schema: sample },
    ]).map(keyOf);
    expect(found.toSorted()).toEqual(
      [
        'Sample.id [required]',
        'Sample.count [minimum]',
        'Sample.kind [required]',
        'Sample.kind [enum]',
        'Sample.flag [type]',
        'Sample.limiter.size [type]',
        'Sample.extra [extra-field]',
      ].toSorted(),
    );
    const renamed = findDifferences(definitions, [
      { name: 'Sample', definition: 'Sample', schema: sample.omit({ flag: true }) },
    ]).map(keyOf);
    expect(renamed).toContain('Sample.flag [missing-field]');
  });

  it('skips a nested model already checked on its own, and walks it where this use differs', () => {
    const definitions = {
      Outer: { type: 'object', properties: { inner: { $ref: '#/definitions/Inner' } } },
      Inner: { type: 'object', properties: { size: { type: 'integer', minimum: 3 } } },
    };
    const inner = z.strictObject({ size: z.int().min(3).optional() });
    const same = z.strictObject({ inner: inner.nullish() });
    const different = z.strictObject({
      inner: z.strictObject({ size: z.int().min(0).optional() }).optional(),
    });
    const innerMapping = { name: 'Inner', definition: 'Inner', schema: inner };
    expect(
      findDifferences(definitions, [
        innerMapping,
        { name: 'Outer', definition: 'Outer', schema: same },
      ]),
    ).toEqual([]);
    expect(
      findDifferences(definitions, [
        innerMapping,
        { name: 'Outer', definition: 'Outer', schema: different },
      ]).map(keyOf),
    ).toEqual(['Outer.inner.size [minimum]']);
  });
});

describe('firecracker.md section 14: where the spec and the code disagree, the models follow the code', () => {
  // Each check gives what the models (or the spec) do, next to what the code of Firecracker does.
  const modelChecks: [string, () => unknown, unknown][] = [
    [
      SECTION_14_CONFLICTS.balloonPatchBody.conflict,
      () => [
        accepts(models.balloonUpdateSchema, { amount_mib: 1 }),
        accepts(models.balloonUpdateSchema, { amount_mib: 1, stats_polling_interval_s: 1 }),
      ],
      [true, false],
    ],
    [
      SECTION_14_CONFLICTS.loggerDefaultLevel.conflict,
      () => models.loggerSchema.parse({ log_path: '/l' }),
      { log_path: '/l' },
    ],
    [
      SECTION_14_CONFLICTS.driveReadOnly.conflict,
      () => accepts(models.driveSchema, virtioBlock),
      true,
    ],
    [
      SECTION_14_CONFLICTS.guestCidMinimum.conflict,
      () => [
        accepts(models.vsockSchema, { guest_cid: 2, uds_path: '/v' }),
        accepts(models.vsockSchema, { guest_cid: 3, uds_path: '/v' }),
        accepts(models.fullVmConfigurationSchema, { vsock: { guest_cid: 2, uds_path: '/v' } }),
      ],
      [false, true, true],
    ],
    [
      SECTION_14_CONFLICTS.asyncIoEngineHost.conflict,
      () => accepts(models.driveSchema, { ...virtioBlock, io_engine: 'Async' }),
      true,
    ],
  ];

  it.each(modelChecks)('%s', (_conflict, check, expected) => {
    expect(check()).toEqual(expected);
  });

  const specChecks: [string, () => unknown, unknown][] = [
    [
      SECTION_14_CONFLICTS.driveReadOnly.conflict,
      () => definition('Drive').required?.includes('is_read_only'),
      false,
    ],
    [
      SECTION_14_CONFLICTS.hintingStartMethod.conflict,
      () => [
        Object.keys(spec.paths['/balloon/hinting/start'] ?? {}),
        hintingStartBody(),
        mappedSchemas.has(models.balloonHintingStartSchema),
      ],
      [['patch'], '#/definitions/BalloonStartCmd', true],
    ],
  ];

  it.skipIf(noSpec).each(specChecks)('%s (in the spec)', (_conflict, check, expected) => {
    expect(check()).toEqual(expected);
  });

  it.skipIf(firecrackerDoc === '')(
    'lists every item of section 14, including those settled outside the models',
    () => {
      expect(section14Items()).toHaveLength(Object.keys(SECTION_14_CONFLICTS).length);
      expect(
        Object.values(SECTION_14_CONFLICTS)
          .map((entry) => entry.resolution)
          .filter((resolution) => resolution.startsWith('not a body rule')),
      ).toEqual([
        'not a body rule: @kindling/vm gates these calls on the VM state',
        'not a body rule: @kindling/process maps every error status',
        'not a body rule: @kindling/vm gates these calls on the VM state',
      ]);
    },
  );
});
