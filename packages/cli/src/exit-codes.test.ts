// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { KindlingError } from '@kindling/spawner';
import { describe, expect, it } from 'vitest';
import { CliError } from './errors.js';
import { EXIT_CODES, exitCodeOf } from './exit-codes.js';

describe('exitCodeOf', () => {
  it.each([
    ['ERR_INVALID_INPUT', 2],
    ['ERR_VM_NOT_FOUND', 3],
    ['ERR_VM_NAME_TAKEN', 4],
    ['ERR_WRONG_STATE', 4],
    ['ERR_API_RESPONSE', 4],
    ['ERR_HOST_NOT_READY', 5],
    ['ERR_BINARY_MISSING', 5],
    ['ERR_WAIT_TIMEOUT', 6],
    ['ERR_SOCKET_WAIT_TIMEOUT', 6],
    ['ERR_GUEST_UNREACHABLE', 6],
    ['ERR_START_FAILED', 1],
  ])('maps %s to %i, whichever layer raised it', (code, exit) => {
    expect(exitCodeOf(new KindlingError(code, 'message'))).toBe(exit);
  });

  it('maps anything that is not a Kindling error to 1', () => {
    expect(exitCodeOf(new Error('plain'))).toBe(EXIT_CODES.failed);
    expect(exitCodeOf('a string')).toBe(EXIT_CODES.failed);
  });

  it('keeps the codes scripts rely on', () => {
    expect(Object.values(EXIT_CODES)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 130]);
    expect(new CliError('ERR_VM_NOT_FOUND', 'x').name).toBe('CliError');
  });
});
