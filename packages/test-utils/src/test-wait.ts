// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

/**
 * The bound of a test's own waits (a socket, a file, a process end). Each wait ends on its event;
 * the bound only catches a hang, so it is generous: on a loaded two-core CI machine, where turbo
 * runs several packages' tests at once, a start that takes 50 ms alone can take seconds.
 */
export const TEST_WAIT_MS = 20_000;
