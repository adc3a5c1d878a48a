// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { VsockDispatcher } from '@kindling/ext-http-vsock';
import type { GuestVm } from './vm-handle.js';

// One pool of keep-alive vsock connections per VM and port, shared by every request to it. A
// VM's pools go with it (a WeakMap), and each closes itself when its VM ends.
const dispatchers = new WeakMap<GuestVm, Map<number, VsockDispatcher>>();

/** The shared `VsockDispatcher` to a VM's guest port. */
export const guestDispatcher = (vm: GuestVm, port: number): VsockDispatcher => {
  let byPort = dispatchers.get(vm);
  if (byPort === undefined) {
    byPort = new Map();
    dispatchers.set(vm, byPort);
  }
  let dispatcher = byPort.get(port);
  if (dispatcher === undefined) {
    dispatcher = new VsockDispatcher(vm, port);
    byPort.set(port, dispatcher);
  }
  return dispatcher;
};
