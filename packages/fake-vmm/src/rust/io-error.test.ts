// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { describe, expect, it } from 'vitest';
import {
  describeErrno,
  describeIoError,
  systemErrorCode,
  systemErrorFromMessage,
} from './io-error.js';

describe('describeIoError', () => {
  it("prints a system error with glibc's text and Rust's ErrorKind", () => {
    const error = Object.assign(new Error('EEXIST: file already exists'), { code: 'EEXIST' });
    expect(describeIoError(error)).toEqual({
      display: 'File exists (os error 17)',
      debug: 'Os { code: 17, kind: AlreadyExists, message: "File exists" }',
    });
    expect(describeErrno('EPERM').display).toBe('Operation not permitted (os error 1)');
  });

  it("prints the socket errors the fake Firecracker meets with Rust's ErrorKinds", () => {
    expect(describeErrno('EADDRINUSE')).toEqual({
      display: 'Address in use (os error 98)',
      debug: 'Os { code: 98, kind: AddrInUse, message: "Address in use" }',
    });
    expect(describeErrno('ECONNREFUSED').debug).toBe(
      'Os { code: 111, kind: ConnectionRefused, message: "Connection refused" }',
    );
    expect(describeErrno('EPIPE').display).toBe('Broken pipe (os error 32)');
    expect(describeErrno('ENOTSOCK').debug).toBe(
      'Os { code: 88, kind: Uncategorized, message: "Not a socket" }',
    );
  });

  it("prints an errno outside the table with the system's text, capitalised", () => {
    expect(describeErrno('ENOEXEC')).toEqual({
      display: 'Exec format error (os error 8)',
      debug: 'Os { code: 8, kind: Uncategorized, message: "Exec format error" }',
    });
  });

  it('prints any other error as a custom one', () => {
    expect(describeIoError(new Error('boom'))).toEqual({
      display: 'boom',
      debug: 'Custom { kind: Other, error: "boom" }',
    });
  });

  it('names the errno of system errors only', () => {
    const again = Object.assign(new Error('EAGAIN: resource temporarily unavailable'), {
      code: 'EAGAIN',
    });
    expect(systemErrorCode(again)).toBe('EAGAIN');
    expect(systemErrorCode(Object.assign(new Error('x'), { code: 'ERR_INVALID_ARG_TYPE' }))).toBe(
      undefined,
    );
    expect(systemErrorCode('EAGAIN')).toBeUndefined();
  });

  it("rebuilds a system error from a tool's message", () => {
    expect(systemErrorFromMessage('mknod: /x/dev/kvm: File exists\n')).toMatchObject({
      code: 'EEXIST',
    });
    expect(systemErrorFromMessage('mknod: something odd')).toBeUndefined();
    // musl's wording (the fakes') and glibc's (host tools') name the same error.
    expect(systemErrorFromMessage('Address in use (os error 98)')).toMatchObject({
      code: 'EADDRINUSE',
    });
    expect(systemErrorFromMessage('bind: Address already in use')).toMatchObject({
      code: 'EADDRINUSE',
      message: 'Address in use',
    });
  });
});
