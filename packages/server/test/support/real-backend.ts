// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

// What the server's tests cannot do on a real Firecracker (KINDLING_FIRECRACKER set): this host's
// KVM never boots a guest, and a real binary has no fault switches.
export { isRealBackend } from '@kindling/fake-vmm';
export { NEEDS_GUEST } from '@kindling/test-vm';

/** The reason, in a test's title, that it is skipped on a real Firecracker: it needs a fault switch. */
export const NEEDS_FAULT = '[fake only: needs a fake-vmm fault switch]';
