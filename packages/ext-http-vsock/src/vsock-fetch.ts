// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { isKindlingError } from '@kindling/spawner';
import { fetch, type RequestInit, type Response } from 'undici';
import { z } from 'zod';
import { parseInput, portSchema } from './dispatcher-options.js';
import { VsockDispatcher } from './vsock-dispatcher.js';
import type { VsockVm } from './vsock-vm.js';

/** What `vsockFetch` takes besides the VM, port and path: `fetch`'s init, without a dispatcher. */
export type VsockFetchInit = Omit<RequestInit, 'dispatcher'>;

const pathSchema = z
  .string({ error: 'expected a path starting with /, such as /ping' })
  .startsWith('/', { error: 'expected a path starting with /, such as /ping' });

// One pool per VM and port, for every vsockFetch: connections are kept alive between calls. A
// VM's pools go with it (a WeakMap), and each destroys itself when its VM ends.
const sharedDispatchers = new WeakMap<VsockVm, Map<number, VsockDispatcher>>();

const dispatcherFor = (vm: VsockVm, port: number): VsockDispatcher => {
  let byPort = sharedDispatchers.get(vm);
  if (byPort === undefined) {
    byPort = new Map();
    sharedDispatchers.set(vm, byPort);
  }
  let dispatcher = byPort.get(port);
  if (dispatcher === undefined) {
    dispatcher = new VsockDispatcher(vm, port);
    byPort.set(port, dispatcher);
  }
  return dispatcher;
};

/**
 * `fetch` to a guest's HTTP service on vsock port `port`, e.g.
 * `await vsockFetch(vm, 8000, '/ping', { method: 'POST', body })`. Requests to one VM and port
 * share one `VsockDispatcher` with its defaults (16 keep-alive connections). Where `fetch` would
 * reject with `TypeError('fetch failed')` caused by a Kindling error (`ERR_WRONG_STATE`,
 * `ERR_VM_ENDED`, `ERR_VSOCK_CLOSED`, …), it rejects with that error itself; an abort rejects as
 * `fetch` does. Errors while reading the body are `fetch`'s, with the Kindling error as cause.
 */
export const vsockFetch = async (
  vm: VsockVm,
  port: number,
  path: string,
  init: VsockFetchInit = {},
): Promise<Response> => {
  const checkedPort = parseInput(portSchema, port, 'port');
  const checkedPath = parseInput(pathSchema, path, 'path');
  const dispatcher = dispatcherFor(vm, checkedPort);
  try {
    return await fetch(`${dispatcher.origin}${checkedPath}`, { ...init, dispatcher });
  } catch (error) {
    const cause: unknown = error instanceof TypeError ? error.cause : undefined;
    throw isKindlingError(cause) ? cause : error;
  }
};
