// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { describe, expect, it } from 'vitest';
import {
  getDowngradeOwner,
  getProcessOwner,
  isUpgradedOwnership,
  parseOwnershipModel,
} from './ownership-model.js';

describe('parseOwnershipModel', () => {
  it('accepts the four models', () => {
    for (const model of [
      { kind: 'shared' },
      { kind: 'upgraded-permanently' },
      { kind: 'upgraded-temporarily' },
      { kind: 'downgraded', uid: 1000, gid: 100 },
    ]) {
      expect(parseOwnershipModel(model)).toStrictEqual(model);
    }
  });

  it.each([
    [{ kind: 'root' }, /^ownership\.kind: .*'shared'.*got \{"kind":"root"\}$/u],
    [
      { kind: 'downgraded', uid: -1, gid: 0 },
      /^ownership\.uid: expected the uid as an integer from 0 to 4294967294, got -1$/u,
    ],
    [{ kind: 'downgraded', uid: 0, gid: 4_294_967_295 }, /^ownership\.gid: .*, got 4294967295$/u],
    [{ kind: 'downgraded', uid: 1.5, gid: 0 }, /^ownership\.uid: .*, got 1\.5$/u],
    [{ kind: 'downgraded', uid: 1000 }, /^ownership\.gid: expected the gid .*, got nothing$/u],
    [{ kind: 'shared', uid: 1 }, /^ownership\.uid: unknown key$/u],
    ['shared', /^ownership: expected an object whose kind is/u],
  ])('rejects %j naming the field, the rule and the value', (value, message) => {
    expect(() => parseOwnershipModel(value)).toThrow(
      expect.objectContaining({
        code: 'ERR_INVALID_INPUT',
        message: expect.stringMatching(message),
      }),
    );
  });
});

describe('ownership helpers', () => {
  it('tells upgraded models apart', () => {
    expect(isUpgradedOwnership({ kind: 'upgraded-permanently' })).toBe(true);
    expect(isUpgradedOwnership({ kind: 'upgraded-temporarily' })).toBe(true);
    expect(isUpgradedOwnership({ kind: 'shared' })).toBe(false);
    expect(isUpgradedOwnership({ kind: 'downgraded', uid: 1, gid: 1 })).toBe(false);
  });

  it('downgrades to the given ids, to the control process, or not at all', () => {
    expect(getDowngradeOwner({ kind: 'downgraded', uid: 1000, gid: 100 })).toStrictEqual({
      uid: 1000,
      gid: 100,
    });
    expect(getDowngradeOwner({ kind: 'upgraded-temporarily' })).toStrictEqual({
      uid: process.geteuid?.(),
      gid: process.getegid?.(),
    });
    expect(getDowngradeOwner({ kind: 'upgraded-permanently' })).toBeUndefined();
    expect(getDowngradeOwner({ kind: 'shared' })).toBeUndefined();
  });

  it('reads the control process owner from its effective ids', () => {
    expect(getProcessOwner()).toStrictEqual({ uid: process.geteuid?.(), gid: process.getegid?.() });
  });
});
