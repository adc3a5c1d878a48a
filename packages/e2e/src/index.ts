// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

// The end-to-end suite's shared pieces: which backend runs, and why a scenario cannot.
export { BACKEND, noGuest, noJailer, noRunningVm, realGuest, REAL_GUEST_MARKER, titled } from './backend.ts';
export { createE2eHarness } from './e2e-harness.ts';
export { echoOver } from './echo.ts';
