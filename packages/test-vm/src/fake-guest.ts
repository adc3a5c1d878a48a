// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

// What the fake guest offers over vsock (fake-vmm's README, "The simulated guest").

import { testBackend } from '@kindling/fake-vmm';

/** Whether this run drives a real Firecracker (KINDLING_FIRECRACKER), not the fake. */
export const isRealBackend = testBackend.kind === 'real';

/** The reason, in a test's title, that it is skipped on a real Firecracker: it needs a guest. */
export const NEEDS_GUEST =
  '[fake only: needs a running guest, which a VMM-level real Firecracker cannot give]';

/** The fake guest's marker on the serial console once its services are up. */
export const BOOT_MARKER = 'kindling-fake-guest: ready';
/** The fake guest's HTTP/1.1 service. */
export const HTTP_PORT = 8000;
/** The fake guest's gRPC service (the GuestAgent of the gRPC extension's tests). */
export const GRPC_PORT = 9000;
/** A port where the fake guest serves plain echo. */
export const ECHO_PORT = 5000;
/** A port where nothing listens in the fake guest. */
export const CLOSED_PORT = 9999;
