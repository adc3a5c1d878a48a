// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import {
  checkParsedOrRefused,
  checkParsedOrRefusedAsync,
  garbage,
  hostileString,
  whenParsedAsync,
  withOneFieldChanged,
} from '@kindling/helpers/testing';
import * as fc from 'fast-check';
import { assert, asyncProperty } from 'fast-check';
import { describe, it } from 'vitest';
import { resolveDispatcherOptions } from './dispatcher-options.js';
import { HttpVsockError } from './errors.js';
import { VsockDispatcher } from './vsock-dispatcher.js';

const refusal = (names: string | readonly string[]) => ({ errorClass: HttpVsockError, names });

// A VM that never connects: enough to build a dispatcher, which connects only on a request.
const idleVm = () => {
  const events = new EventTarget();
  return {
    state: 'running',
    connectVsock: () => Promise.reject(new Error('not in a unit test')),
    getInfo: () => Promise.reject(new Error('not in a unit test')),
    addEventListener: events.addEventListener.bind(events),
    removeEventListener: events.removeEventListener.bind(events),
  };
};

const validOptions = fc.record(
  {
    origin: fc.constantFrom('http://localhost', 'http://guest:8080', 'http://10.0.0.2/'),
    connections: fc.integer({ min: 1, max: 64 }),
    connectTimeoutMs: fc.integer({ min: 1, max: 60_000 }),
    keepAliveTimeoutMs: fc.integer({ min: 1, max: 60_000 }),
    headersTimeoutMs: fc.integer({ min: 1, max: 60_000 }),
    bodyTimeoutMs: fc.integer({ min: 1, max: 60_000 }),
  },
  { requiredKeys: [] },
);
const port = fc.oneof(fc.nat({ max: 0xffff_ffff }), garbage());
const options = fc.oneof(
  garbage(),
  withOneFieldChanged(validOptions, fc.oneof(garbage(), hostileString())).map(({ value }) => value),
);

describe('VsockDispatcher options', () => {
  it('given any port and options, resolves them or refuses them naming port or options', async () => {
    await assert(
      asyncProperty(port, options, async (givenPort, givenOptions) => {
        checkParsedOrRefused(
          () => resolveDispatcherOptions(givenPort, givenOptions as never),
          refusal(['port', 'options']),
        );
        const outcome = await checkParsedOrRefusedAsync(
          () =>
            Promise.resolve(
              new VsockDispatcher(idleVm() as never, givenPort as never, givenOptions as never),
            ),
          refusal(['port', 'options']),
        );
        await whenParsedAsync(outcome, (dispatcher) => dispatcher.destroy());
      }),
      { numRuns: 300 },
    );
  });

  it('refuses anything that is not a VM, naming vm, before it connects', async () => {
    await assert(
      asyncProperty(garbage(), async (vm) => {
        const outcome = await checkParsedOrRefusedAsync(
          () => Promise.resolve(new VsockDispatcher(vm as never, 1024)),
          refusal('vm'),
        );
        await whenParsedAsync(outcome, (dispatcher) => dispatcher.destroy());
      }),
      { numRuns: 200 },
    );
  });
});
