// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { describe, expect, it } from 'vitest';
import { describeErrno, describeIoError, systemErrorFromMessage } from './io-error.js';

describe('describeIoError', () => {
  it("prints a system error with glibc's text and Rust's ErrorKind", () => {
    const error = Object.assign(new Error('EEXIST: file already exists'), { code: 'EEXIST' });
    expect(describeIoError(error)).toEqual({
      display: 'File exists (os error 17)',
      debug: 'Os { code: 17, kind: AlreadyExists, message: "File exists" }',
    });
    expect(describeErrno('EPERM').display).toBe('Operation not permitted (os error 1)');
  });

  it('prints any other error as a custom one', () => {
    expect(describeIoError(new Error('boom'))).toEqual({
      display: 'boom',
      debug: 'Custom { kind: Other, error: "boom" }',
    });
  });

  it("rebuilds a system error from a tool's message", () => {
    expect(systemErrorFromMessage('mknod: /x/dev/kvm: File exists\n')).toMatchObject({
      code: 'EEXIST',
    });
    expect(systemErrorFromMessage('mknod: something odd')).toBeUndefined();
  });
});
