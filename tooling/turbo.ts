// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

// Runs turbo with the Node major version in the environment, so that turbo.json's globalEnv puts
// it in every task's cache key and a run under another Node never reuses cached results.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import process from 'node:process';

const require = createRequire(import.meta.url);
const turboBin = require.resolve('turbo/bin/turbo');
const major = process.versions.node.split('.')[0] ?? '';

const result = spawnSync(process.execPath, [turboBin, ...process.argv.slice(2)], {
  stdio: 'inherit',
  env: { ...process.env, KINDLING_NODE_MAJOR: major },
});
if (result.error) {
  throw result.error;
}
process.exitCode = result.status ?? 1;
