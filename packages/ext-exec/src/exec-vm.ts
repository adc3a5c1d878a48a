// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import type { Vm } from '@kindling/vm';

/**
 * What the exec extension uses of a `Vm`: its state, its vsock connections, its `'exit'` and
 * `'crash'` events, and `getInfo()` to ask Firecracker whether it still runs.
 */
export type ExecVm = Pick<
  Vm,
  'state' | 'connectVsock' | 'getInfo' | 'addEventListener' | 'removeEventListener'
>;
