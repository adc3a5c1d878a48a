// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { describe, expect, it } from 'vitest';
import { mmdsConfigSchema, mmdsContentsSchema } from './mmds.js';

const config = { network_interfaces: ['eth0'] };
const accepts = (value: unknown): boolean => mmdsConfigSchema.safeParse(value).success;

describe('mmdsConfigSchema', () => {
  it('accepts the interfaces alone, and every field', () => {
    expect(mmdsConfigSchema.parse(config)).toEqual(config);
    const full = { ...config, version: 'V2', ipv4_address: '169.254.170.2', imds_compat: true };
    expect(mmdsConfigSchema.parse(full)).toEqual(full);
  });

  it('rejects an empty interface list, as Firecracker does', () => {
    const issue = mmdsConfigSchema.safeParse({ network_interfaces: [] }).error?.issues[0];
    expect(issue?.path).toEqual(['network_interfaces']);
    expect(issue?.message).toContain('IDs that allow forwarding MMDS requests is empty');
  });

  it('applies the id rule to the interface names', () => {
    expect(accepts({ network_interfaces: ['eth-0'] })).toBe(false);
  });

  it.each([
    ['169.254.169.254', true],
    ['169.254.1.0', true],
    ['169.254.254.255', true],
    ['169.254.0.1', false],
    ['169.254.255.1', false],
    ['169.254.256.1', false],
    ['169.254.1.256', false],
    ['169.254.01.1', false],
    ['10.0.0.1', false],
    ['169.254.1', false],
  ])('ipv4_address %s is accepted: %s (169.254.x.y, x from 1 to 254)', (address, ok) => {
    expect(accepts({ ...config, ipv4_address: address })).toBe(ok);
  });

  it('accepts only the versions V1 and V2', () => {
    expect(accepts({ ...config, version: 'V1' })).toBe(true);
    expect(accepts({ ...config, version: 'v2' })).toBe(false);
    expect(accepts({ ...config, version: null })).toBe(false);
  });

  it('rejects an unknown field', () => {
    expect(accepts({ ...config, token_ttl: 60 })).toBe(false);
  });
});

describe('mmdsContentsSchema', () => {
  it.each([
    ['an object', { latest: { 'meta-data': { 'instance-id': 'i-1' } } }],
    ['an empty object', {}],
    ['an array', [1, 'two']],
    ['a string', 'hello'],
    ['null', null],
  ])('accepts %s (any JSON)', (_name, value) => {
    expect(mmdsContentsSchema.parse(value)).toEqual(value);
  });

  it.each([
    ['nothing', undefined, []],
    ['a Date', { at: new Date(0) }, ['at']],
    ['NaN in an array', { list: [1, Number.NaN] }, ['list', 1]],
    ['Infinity', Number.POSITIVE_INFINITY, []],
    ['a Map', new Map(), []],
    ['an undefined property', { a: { b: undefined } }, ['a', 'b']],
    ['a function', { f: () => 1 }, ['f']],
  ])('rejects %s, at the path of the value', (_name, value, path) => {
    const issue = mmdsContentsSchema.safeParse(value).error?.issues[0];
    expect(issue?.path).toEqual(path);
    expect(issue?.message).toContain('expected a JSON value');
  });

  it('accepts an object without a prototype', () => {
    const bare: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
    bare['a'] = 1;
    expect(mmdsContentsSchema.safeParse(bare).success).toBe(true);
  });
});
