// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { isKindlingError } from '@kindling/spawner';
import { connectApi } from '../context.js';
import { isAlive } from '../host/liveness.js';
import type { VmRecord } from '../host/vm-records.js';

/**
 * A recorded VM's state: Firecracker's (`running`, `paused`, `not-started`), `gone` when its
 * owner or Firecracker no longer run (`kindling reconcile` removes it), or `unreachable`.
 */
export type VmStatus = 'running' | 'paused' | 'not-started' | 'gone' | 'unreachable';

const BY_FIRECRACKER: Readonly<Record<string, VmStatus>> = {
  Running: 'running',
  Paused: 'paused',
  'Not started': 'not-started',
};

/** Asks a recorded VM for its state (GET /), after checking its processes still run. */
export const readVmStatus = async (record: VmRecord): Promise<VmStatus> => {
  if (!(await isAlive(record.owner)) || !(await isAlive(record.vmm))) {
    return 'gone';
  }
  await using api = connectApi(record);
  try {
    const info = await api.get<{ state?: string }>('/', { timeoutMs: 2_000 });
    return BY_FIRECRACKER[info.body?.state ?? ''] ?? 'unreachable';
  } catch (error) {
    if (isKindlingError(error)) {
      return 'unreachable';
    }
    throw error;
  }
};
