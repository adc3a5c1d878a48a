// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { describe, expect, it } from 'vitest';
import { parseApiErrorBody } from './api-error-body.js';

describe('parseApiErrorBody', () => {
  it("reads Firecracker's fault_message", () => {
    expect(
      parseApiErrorBody(
        '{"fault_message":"The requested operation is not supported after starting the microVM."}',
      ),
    ).toEqual({
      message: 'The requested operation is not supported after starting the microVM.',
      source: 'fault_message',
    });
  });

  it('reads the HTTP layer error whose raw newline makes it invalid JSON', () => {
    const body =
      '{ "error": "Invalid header. Reason: Invalid value. Key:Content-Length; Value: abc\nAll previous unanswered requests will be dropped." }';
    expect(() => JSON.parse(body) as unknown).toThrow(/control character/u);
    expect(parseApiErrorBody(body)).toEqual({
      message:
        'Invalid header. Reason: Invalid value. Key:Content-Length; Value: abc\nAll previous unanswered requests will be dropped.',
      source: 'error',
    });
  });

  it('keeps unescaped quotes inside an HTTP layer message', () => {
    expect(parseApiErrorBody('{ "error": "bad "thing"\nAll previous." }')).toEqual({
      message: 'bad "thing"\nAll previous.',
      source: 'error',
    });
  });

  it('reads the 503 of an 11th connection, which is valid JSON', () => {
    expect(parseApiErrorBody('{ "error": "Too many open connections" }')).toEqual({
      message: 'Too many open connections',
      source: 'error',
    });
  });

  it('keeps any other body whole and says it is unrecognised', () => {
    expect(parseApiErrorBody('  socket read failed \n')).toEqual({
      message: 'socket read failed',
      source: 'unrecognised',
    });
    expect(parseApiErrorBody('{"other":1}')).toEqual({
      message: '{"other":1}',
      source: 'unrecognised',
    });
    expect(parseApiErrorBody('')).toEqual({ message: '(empty body)', source: 'unrecognised' });
  });
});
