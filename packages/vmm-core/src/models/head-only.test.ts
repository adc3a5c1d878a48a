// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { FIRECRACKER_HEAD_ONLY_FIELDS, type HeadOnlyField } from './head-only.js';
import { machineConfigurationSchema } from './machine-config.js';
import { metricsSchema } from './metrics.js';
import { snapshotLoadParamsSchema } from './snapshot.js';

// A valid body of each listed model, to which the head-only field is added.
const baseBodies: Record<string, { schema: z.ZodType; body: Record<string, unknown> }> = {
  MachineConfiguration: {
    schema: machineConfigurationSchema,
    body: { vcpu_count: 1, mem_size_mib: 128 },
  },
  SnapshotLoadParams: {
    schema: snapshotLoadParamsSchema,
    body: { snapshot_path: '/s', mem_backend: { backend_type: 'Uffd', backend_path: '/u' } },
  },
  Metrics: { schema: metricsSchema, body: { metrics_path: '/m' } },
};

const sampleValues: Record<string, unknown> = {
  'SnapshotLoadParams.huge_pages': 'None',
  'Metrics.emit_id': true,
  'Metrics.properties': { zone: 'a' },
};

interface HeadOnlyCase {
  readonly schema: z.ZodType;
  readonly body: Record<string, unknown>;
  readonly field: string;
  readonly value: unknown;
}

// A valid body of the entry's model with the head-only field (or enum value) added.
const caseFor = (entry: HeadOnlyField): HeadOnlyCase => {
  const key = `${entry.definition}.${entry.field}`;
  const base = baseBodies[entry.definition];
  const value = entry.value ?? sampleValues[key];
  if (base === undefined || value === undefined) {
    throw new Error(`add a sample body and value for ${key}`);
  }
  return {
    schema: base.schema,
    body: { ...base.body, [entry.field]: value },
    field: entry.field,
    value,
  };
};

const describeEntry = (entry: HeadOnlyField): string =>
  `${entry.definition}.${entry.field}${entry.value === undefined ? '' : `=${entry.value}`}:${entry.atV1161}`;

describe('FIRECRACKER_HEAD_ONLY_FIELDS', () => {
  it.each(
    FIRECRACKER_HEAD_ONLY_FIELDS.map((entry) => [describeEntry(entry), caseFor(entry)] as const),
  )('lists %s, which the models accept and keep', (_name, { schema, body, field, value }) => {
    expect(schema.parse(body)).toHaveProperty(field, value);
  });

  it('names the four additions of firecracker.md, and what v1.16.1 does with each', () => {
    expect(FIRECRACKER_HEAD_ONLY_FIELDS.map(describeEntry)).toEqual([
      'MachineConfiguration.huge_pages=Transparent:rejected',
      'SnapshotLoadParams.huge_pages:rejected',
      'Metrics.emit_id:ignored',
      'Metrics.properties:ignored',
    ]);
  });
});
