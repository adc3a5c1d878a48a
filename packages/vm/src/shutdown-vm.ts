// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { VmError, errorCodeOf, errorMessageOf } from './errors.js';
import type { VmCallOptions } from './send-api-call.js';
import {
  runShutdownSequence,
  type ResolvedShutdownAction,
  type ShutdownOutcome,
  type ShutdownRunner,
} from './shutdown.js';
import type { VmCore } from './vm-core.js';

const CALLER = 'vm.shutdown()';

const writeSerial = async (
  core: VmCore,
  input: string | Uint8Array,
  signal: AbortSignal | undefined,
): Promise<void> => {
  signal?.throwIfAborted();
  const { stdin } = core;
  if (stdin === null) {
    throw new VmError(
      'ERR_PROCESS',
      "the serial console cannot be written: Firecracker's stdin is not piped to this process (a daemonized or new-pid-ns jailer, or an executor whose stdio is not 'pipe'), or it is closed",
    );
  }
  await new Promise<void>((resolve, reject) => {
    stdin.write(input, (error: Error | null | undefined) =>
      error === null || error === undefined ? resolve() : reject(error),
    );
  });
};

const perform = async (
  core: VmCore,
  action: ResolvedShutdownAction,
  signal: AbortSignal | undefined,
): Promise<void> => {
  const options: VmCallOptions = signal === undefined ? {} : { signal };
  switch (action.method) {
    case 'ctrl-alt-del': {
      // A paused guest cannot react to the keys.
      if (core.state === 'paused') {
        await core.send(
          CALLER,
          { method: 'PATCH', path: '/vm', body: { state: 'Resumed' } },
          options,
        );
        core.setRunState('running');
      }
      core.expectedEnd = 'graceful';
      await core.send(
        CALLER,
        { method: 'PUT', path: '/actions', body: { action_type: 'SendCtrlAltDel' } },
        options,
      );
      return;
    }
    case 'write-serial': {
      core.expectedEnd = 'graceful';
      await writeSerial(core, action.input, signal);
      return;
    }
    case 'pause-then-kill': {
      if (core.state === 'running') {
        await core.send(
          CALLER,
          { method: 'PATCH', path: '/vm', body: { state: 'Paused' } },
          options,
        );
        core.setRunState('paused');
      }
      core.kill();
      return;
    }
    case 'kill': {
      core.kill();
    }
  }
};

/**
 * Tries each shutdown action in order until the process ends; the VM is `exited` afterwards. An
 * action that fails leaves the process as it was for the next one.
 */
export const shutdownVm = async (
  core: VmCore,
  actions: readonly ResolvedShutdownAction[],
  signal?: AbortSignal,
): Promise<ShutdownOutcome> => {
  signal?.throwIfAborted();
  if (!core.processUp) {
    return {
      alreadyDown: true,
      method: undefined,
      index: undefined,
      graceful: core.state !== 'crashed',
      exit: core.exit,
      failures: [],
    };
  }
  const runner: ShutdownRunner = {
    get exit() {
      return core.process.exit;
    },
    perform: (action, actionSignal) => perform(core, action, actionSignal),
    waitForExit: async (timeoutMs, waitSignal) => {
      try {
        return await core.process.waitForExit({
          timeoutMs,
          ...(waitSignal === undefined ? {} : { signal: waitSignal }),
        });
      } catch (error) {
        if (waitSignal?.aborted === true) {
          throw waitSignal.reason;
        }
        throw errorCodeOf(error) === 'ERR_WAIT_TIMEOUT'
          ? new VmError(
              'ERR_SHUTDOWN_TIMEOUT',
              `Firecracker was still running ${timeoutMs} ms later`,
              {
                cause: error,
              },
            )
          : new VmError(
              'ERR_PROCESS',
              `the exit of Firecracker could not be observed: ${errorMessageOf(error)}`,
              { cause: error },
            );
      }
    },
  };
  try {
    const outcome = await runShutdownSequence(actions, runner, signal);
    await core.exitSeen;
    return outcome;
  } finally {
    if (core.processUp) {
      // Nothing ended it: a later end is the process's own doing again.
      core.expectedEnd = undefined;
    }
  }
};
