// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import type { ExecVm } from './exec-vm.js';
import { ExecSession } from './exec-session.js';

// One session per VM for the plain functions, made at the first call; a WeakMap, so a VM that
// is no longer used takes its session with it. A session whose VM ended closes its connection by
// itself and refuses later calls with ERR_VM_ENDED.
const sessions = new WeakMap<ExecVm, ExecSession>();

/** The session the plain functions (`exec(vm, …)`, `push(vm, …)`) use for `vm`. */
export const sharedSession = (vm: ExecVm): ExecSession => {
  let session = sessions.get(vm);
  if (session === undefined) {
    session = new ExecSession(vm);
    sessions.set(vm, session);
  }
  return session;
};
