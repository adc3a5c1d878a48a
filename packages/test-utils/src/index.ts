// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

// Kindling's shared test utilities. Private, imported by tests only, at source.

export { catchError } from './catch-error.js';
export { FakeInstallationFolder } from './fake-installation-folder.js';
export type { FakeInstallationFolderOptions } from './fake-installation-folder.js';
export { isRoot } from './is-root.js';
export { listLeftoverFiles, listLeftoverProcesses } from './leftovers.js';
export { startOwnerProcess } from './owner-process.js';
export type { OwnerProcess, OwnerProcessOptions } from './owner-process.js';
export { isAlive, waitUntilGone } from './process-probe.js';
export { createTempFolder } from './temp-folder.js';
export { TEST_WAIT_MS } from './test-wait.js';
export { typeCheckExample } from './type-check-example.js';
export type { TempFolder } from './temp-folder.js';
export {
  EXAMPLE_TEST_MS,
  createExampleFixture,
  EXAMPLE_WAIT_MS,
  readReadmeExample,
  runTypeScriptExample,
  substituteExamplePaths,
} from './readme-example.js';
export type { ExampleFixture, ExamplePaths, RunExampleOptions } from './readme-example.js';
