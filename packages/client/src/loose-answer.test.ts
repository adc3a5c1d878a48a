// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { describe, expect, it } from 'vitest';
import { healthSchema, looseAnswer, vmInfoSchema, vmListSchema } from './index.js';

const vm = {
  id: 'vm-1',
  state: 'exited',
  createdAt: '2026-01-01T00:00:00.000Z',
  labels: {},
  source: 'config',
  jailed: false,
  adopted: false,
  exit: { code: 0, reason: 'exited' },
};

describe('looseAnswer', () => {
  it("keeps a newer server's extra fields, nested ones too, where the strict schema refuses them", () => {
    const newer = { ...vm, zone: 'a', exit: { ...vm.exit, durationMs: 5 } };
    expect(vmInfoSchema.safeParse(newer).success).toBe(false);
    expect(looseAnswer(vmInfoSchema).parse(newer)).toEqual(newer);
    const list = { vms: [newer], next: null };
    expect(looseAnswer(vmListSchema).parse(list)).toEqual(list);
    const health = {
      version: '1',
      vms: 0,
      uptimeMs: 1,
      recovered: { adopted: [], cleanedUp: [], orphans: [] },
    };
    expect(looseAnswer(healthSchema).parse(health)).toEqual(health);
  });

  it("keeps the strict schema's rules: a missing field, a wrong enum or a bad id still fails", () => {
    const loose = looseAnswer(vmInfoSchema);
    const { adopted: _adopted, ...withoutAdopted } = vm;
    expect(loose.safeParse(withoutAdopted).error?.issues[0]?.path).toEqual(['adopted']);
    expect(loose.safeParse({ ...vm, state: 'gone' }).error?.issues[0]?.path).toEqual(['state']);
    expect(loose.safeParse({ ...vm, id: '-x' }).error?.issues[0]?.path).toEqual(['id']);
    expect(loose.safeParse({ ...vm, exit: { reason: 'lost' } }).error?.issues[0]?.path).toEqual([
      'exit',
      'reason',
    ]);
  });

  it('is made once per schema', () => {
    expect(looseAnswer(vmInfoSchema)).toBe(looseAnswer(vmInfoSchema));
  });
});
