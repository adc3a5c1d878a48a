// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

// Run by `pnpm xtask e2e`, not by `pnpm test`: the scenarios, with a JSON report xtask reads.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['scenarios/**/*.e2e.test.ts'],
    globalSetup: ['./src/global-setup.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // A real Firecracker's VMs are big: one file at a time keeps the machine's load sane.
    fileParallelism: process.env['KINDLING_FIRECRACKER'] === undefined,
  },
});
