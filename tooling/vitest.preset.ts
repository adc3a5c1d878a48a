// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { defineConfig } from 'vitest/config';

export interface PackageTestOptions {
  /** Per-test timeout; integration tests that spawn processes need more than vitest's 5 s. */
  readonly testTimeoutMs?: number;
  /** Whether test files run side by side (vitest's default, true). */
  readonly fileParallelism?: boolean;
}

/**
 * The test setup every package shares: unit tests beside the code, integration tests in `test/`,
 * and a JSON report in `.reports/` from which CI counts passed and failed tests.
 */
export const definePackageTests = (options: PackageTestOptions = {}) =>
  defineConfig({
    test: {
      include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
      testTimeout: options.testTimeoutMs ?? 30_000,
      hookTimeout: options.testTimeoutMs ?? 30_000,
      reporters: ['default', ['json', { outputFile: '.reports/vitest.json' }]],
      // Child processes and sockets are the norm here: forks isolate them best.
      pool: 'forks',
      fileParallelism: options.fileParallelism ?? true,
    },
  });
