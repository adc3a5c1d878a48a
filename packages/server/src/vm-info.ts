// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import type { VmInfo } from '@kindling/client';
import type { ProcessHandleExit } from '@kindling/executor';
import type { VmHandle } from './vm-handle.js';
import type { VmRecord } from './vm-records.js';

const exitOf = (exit: ProcessHandleExit | undefined): VmInfo['exit'] => {
  if (exit === undefined) {
    return undefined;
  }
  if (exit.kind === 'exited') {
    return { reason: 'exited', code: exit.code };
  }
  return exit.kind === 'signaled'
    ? { reason: 'signaled', signal: exit.signal }
    : { reason: 'unknown' };
};

/** What the API says of a VM: its record, and what its handle knows now. */
export const describeVm = (record: VmRecord, handle: VmHandle): VmInfo => {
  const exit = exitOf(handle.exit);
  const pid = handle.pid;
  const apiSocket = handle.apiSocket;
  // An ended VM has no process and no socket any more: only how it ended.
  const live = exit === undefined;
  return {
    id: record.id,
    state: handle.state,
    ...(pid === undefined || !live ? {} : { pid }),
    createdAt: record.createdAt,
    labels: record.labels,
    source: record.source,
    ...(apiSocket === undefined || !live ? {} : { apiSocket }),
    jailed: record.jailed,
    adopted: handle.adopted,
    ...(exit === undefined ? {} : { exit }),
  };
};
