// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

// `pnpm test` of this package: its integration tests in test/ (the load test). The scenarios
// have their own config (vitest.config.ts), run by `pnpm xtask e2e`.
import { definePackageTests } from '../../tooling/vitest.preset.ts';

export default definePackageTests({ testTimeoutMs: 180_000 });
