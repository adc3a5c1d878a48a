// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { watchPid } from '@kindling/executor';
import { CliError } from '../errors.js';
import type { VmRecord } from '../host/vm-records.js';
import { sendCtrlAltDel } from './send-ctrl-alt-del.js';

/**
 * Stops a VM whose owner runs: Ctrl+Alt+Del, and when the guest ignores it for \`gracefulMs\`,
 * SIGTERM to the owner (which kills Firecracker at once); resolves once the owner is gone.
 */
export const stopOwnedVm = async (
  record: VmRecord,
  gracefulMs: number,
  timeoutMs: number,
): Promise<'shut-down' | 'killed'> => {
  const name = record.name;
  const owner = await watchPid(record.owner.pid, { startTime: record.owner.startTime });

  // Ctrl+Alt+Del through the API: the guest reboots, Firecracker exits, and the owner
  // (`run` or the background process of --detach) cleans up and ends.
  if (await sendCtrlAltDel(record)) {
    try {
      await owner.wait({ timeoutMs: gracefulMs });
      return 'shut-down' as const;
    } catch {
      // The guest ignored it: on to SIGTERM, which kills Firecracker at once.
    }
  }
  owner.kill('SIGTERM');
  try {
    await owner.wait({ timeoutMs });
  } catch (error) {
    throw new CliError(
      'ERR_WAIT_TIMEOUT',
      `VM "${name}" was not gone within ${timeoutMs} ms: kill its owner (pid ${record.owner.pid}) and run \`kindling reconcile\``,
      { cause: error },
    );
  }
  return 'killed' as const;
};
