// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { describe, expect, it } from 'vitest';
import {
  firecrackerVersionSchema,
  instanceActionInfoSchema,
  instanceInfoSchema,
  vmStateSchema,
} from './instance.js';

describe('instanceInfoSchema', () => {
  it.each(['Not started', 'Running', 'Paused'])('reads the state %s', (state) => {
    const info = {
      id: 'anonymous-instance',
      state,
      vmm_version: '1.16.1',
      app_name: 'Firecracker',
    };
    expect(instanceInfoSchema.parse(info)).toEqual(info);
  });

  it('rejects an unknown state and keeps unknown fields of a newer Firecracker', () => {
    const info = { id: 'vm', state: 'Running', vmm_version: '1.16.1', app_name: 'Firecracker' };
    expect(instanceInfoSchema.safeParse({ ...info, state: 'Stopped' }).success).toBe(false);
    expect(instanceInfoSchema.parse({ ...info, extra: 1 })).toEqual({ ...info, extra: 1 });
  });
});

describe('firecrackerVersionSchema', () => {
  it('reads the version', () => {
    expect(firecrackerVersionSchema.parse({ firecracker_version: '1.16.1' })).toEqual({
      firecracker_version: '1.16.1',
    });
    expect(firecrackerVersionSchema.safeParse({}).success).toBe(false);
  });
});

describe('instanceActionInfoSchema', () => {
  it.each(['InstanceStart', 'FlushMetrics', 'SendCtrlAltDel'])('accepts %s', (actionType) => {
    expect(instanceActionInfoSchema.safeParse({ action_type: actionType }).success).toBe(true);
  });

  it('rejects another action, a missing one and unknown fields', () => {
    expect(instanceActionInfoSchema.safeParse({ action_type: 'InstanceHalt' }).success).toBe(false);
    expect(instanceActionInfoSchema.safeParse({}).success).toBe(false);
    expect(
      instanceActionInfoSchema.safeParse({ action_type: 'FlushMetrics', payload: {} }).success,
    ).toBe(false);
  });
});

describe('vmStateSchema', () => {
  it('accepts Paused and Resumed only', () => {
    expect(vmStateSchema.parse({ state: 'Paused' })).toEqual({ state: 'Paused' });
    expect(vmStateSchema.safeParse({ state: 'Resumed' }).success).toBe(true);
    expect(vmStateSchema.safeParse({ state: 'Running' }).success).toBe(false);
    expect(vmStateSchema.safeParse({ state: 'Paused', force: true }).success).toBe(false);
  });
});
