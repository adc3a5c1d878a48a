// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { definePackageTests } from '../../tooling/vitest.preset.ts';

// One file at a time: the integration tests compare the whole host (links, namespaces, nft
// tables, ip_forward) before and after, which another file's networks would change meanwhile.
export default definePackageTests({ fileParallelism: false });
