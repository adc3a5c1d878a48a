// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

// The end-to-end suite's shared pieces: which backend runs, and why a scenario cannot.
export {
  BACKEND,
  noGuest,
  noJailer,
  noRunningVm,
  noStartedVm,
  realGuest,
  skipNote,
} from './backend.ts';
export { startVm, waitForGuestIfItBoots } from './vmm-level.ts';
export { REAL_GUEST_MARKER } from './guest-of.ts';
export { createE2eHarness } from './e2e-harness.ts';
export { echoOver } from './echo.ts';
export { inNetwork, noGuestNetwork, noNetAdmin } from './network-setup.ts';
export {
  linkExists,
  namespaceOfProcess,
  probeTcp,
  type NetworkInterfaceView,
} from './host-probes.ts';
