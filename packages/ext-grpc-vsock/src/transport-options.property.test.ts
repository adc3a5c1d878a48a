// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import {
  checkParsedOrRefused,
  garbage,
  hostileString,
  withOneFieldChanged,
} from '@kindling/helpers/testing';
import * as fc from 'fast-check';
import { assert, property } from 'fast-check';
import { describe, it } from 'vitest';
import { GrpcVsockError } from './errors.js';
import { createGrpcVsockTransport } from './grpc-vsock-transport.js';

const refusal = (names: string | readonly string[]) => ({ errorClass: GrpcVsockError, names });

// A VM that never connects: the transport connects only on a call.
const idleVm = { connectVsock: () => Promise.reject(new Error('not in a unit test')) };

const validOptions = fc.record(
  {
    connectTimeoutMs: fc.oneof(fc.integer({ min: 1, max: 60_000 }), fc.constant(Infinity)),
    defaultTimeoutMs: fc.integer({ min: 1, max: 60_000 }),
    interceptors: fc.constant([(next: unknown) => next]),
  },
  { requiredKeys: [] },
);

describe('createGrpcVsockTransport', () => {
  it('given any vm, port and options, makes a transport or refuses them naming the argument', () => {
    assert(
      property(
        fc.oneof(fc.constant(idleVm), garbage()),
        fc.oneof(fc.nat({ max: 0xffff_ffff }), garbage()),
        fc.oneof(
          garbage(),
          withOneFieldChanged(validOptions, fc.oneof(garbage(), hostileString())).map(
            ({ value }) => value,
          ),
        ),
        (vm, port, options) => {
          checkParsedOrRefused(
            () => createGrpcVsockTransport(vm as never, port as never, options as never),
            refusal(['vm', 'port', 'options']),
          );
        },
      ),
      { numRuns: 300 },
    );
  });
});
