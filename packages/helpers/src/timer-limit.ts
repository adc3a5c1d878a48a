// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

/** The longest delay `setTimeout` honours (2^31 - 1 ms); it turns anything longer into 1 ms. */
export const MAX_TIMER_MS = 2_147_483_647;
