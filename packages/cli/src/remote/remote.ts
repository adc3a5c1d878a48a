// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

// What the VM commands do with --server: through @kindling/client, to a Kindling server's VMs.

export { inspectRemoteVm, listRemoteVms } from './remote-listing.js';
export {
  printRemoteMetrics,
  sendRemoteApi,
  setRemoteState,
  stopRemoteVm,
} from './remote-control.js';
export { restoreOnServer, runOnServer, snapshotOnServer } from './remote-launch.js';
export { addServerOptions, notWithServer, type ServerFlags } from './server-flags.js';
