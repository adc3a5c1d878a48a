// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

/** The prefix of the only variables the fake jailer keeps when it clears the environment. */
export const FAKE_ENV_PREFIX = 'KINDLING_FAKE_';
