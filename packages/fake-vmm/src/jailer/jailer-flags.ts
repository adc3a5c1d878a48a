// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { JAILER_FLAGS as TABLE, type FlagSpec } from '@kindling/vmm-core/flags';

// The light entry point: the whole of vmm-core would load zod and undici, ~110 ms of every start.
/** Every flag of `jailer` v1.16.1, from `@kindling/vmm-core`'s table. */
export const JAILER_FLAGS: readonly FlagSpec[] = TABLE;
