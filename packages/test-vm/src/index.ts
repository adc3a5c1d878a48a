// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

// Kindling's shared VM test harness for the extensions. Private, imported by tests only, at source.
// @kindling/vm keeps a harness of its own: importing this one from vm would be a cycle.

export { jailed, SETUPS, unrestricted } from './executor-setups.js';
export type { ExecutorChoice, ExecutorSetup } from './executor-setups.js';
export {
  BOOT_MARKER,
  CLOSED_PORT,
  ECHO_PORT,
  GRPC_PORT,
  HTTP_PORT,
  isRealBackend,
  NEEDS_GUEST,
} from './fake-guest.js';
export { createVmTestHarness } from './vm-test-harness.js';
export type { HarnessGuest, VmTestHarness, VmTestHarnessOptions } from './vm-test-harness.js';
