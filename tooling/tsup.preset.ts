// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { defineConfig, type Options } from 'tsup';

/** The build every public package shares: ESM with `.d.ts`, for the oldest Node in `engines`. */
export const definePackageBuild = (overrides: Options = {}) =>
  defineConfig({
    entry: ['src/index.ts'],
    format: ['esm'],
    platform: 'node',
    // Node 22 lacks `using`; esbuild lowers it for the oldest Node the packages support.
    target: 'node22',
    dts: { resolve: ['@kindling/helpers'] },
    sourcemap: true,
    clean: true,
    splitting: false,
    treeshake: true,
    // The private helpers ship inside each package that uses them, so none depends on them.
    noExternal: ['@kindling/helpers'],
    // Classes keep their names: esbuild renames a class that refers to itself (`_JailedExecutor`),
    // and users' logs and Kindling's own messages print `constructor.name`.
    keepNames: true,
    ...overrides,
  });
