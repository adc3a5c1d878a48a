// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

// Lets `pnpm vitest` (and editors) run every package's tests from the root. CI goes through turbo.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: ['packages/*', 'examples', 'xtask'],
  },
});
