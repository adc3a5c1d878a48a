// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { connectApi } from '../context.js';
import type { VmRecord } from '../host/vm-records.js';
import { readVmStatus } from './vm-status.js';

// Whether the VM took Ctrl+Alt+Del (a paused one is resumed first, as Firecracker needs).
export const sendCtrlAltDel = async (record: VmRecord): Promise<boolean> => {
  await using api = connectApi(record);
  try {
    if ((await readVmStatus(record)) === 'paused') {
      await api.patch('/vm', { state: 'Resumed' });
    }
    await api.put('/actions', { action_type: 'SendCtrlAltDel' });
    return true;
  } catch {
    // Its API does not answer: SIGTERM to the owner is what is left.
    return false;
  }
};
