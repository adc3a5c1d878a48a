// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import {
  INSTANCE_START_CALL,
  buildSnapshotLoadCall,
  planNewVmCalls,
  planRestoreCalls,
} from './boot-plan.js';
import { waitForConfigFileBuild, writeConfigFile } from './config-file-start.js';
import type { ResolvedVmConfiguration } from './configuration.js';
import { describeAbandonedEnd, readFirecrackerWords } from './start-failure.js';
import { VmError, errorCodeOf, errorMessageOf } from './errors.js';
import {
  checkOptionObject,
  checkOptionalBoolean,
  checkSignal,
  checkTimeoutMs,
  failInput,
} from './input-checks.js';
import type { VmCallOptions } from './send-api-call.js';
import type { VmCore } from './vm-core.js';
import { assertVmState } from './vm-state.js';

/** What `vm.start()` takes. */
export interface VmStartOptions {
  /** Aborting stops the start; the process, if spawned, is killed. */
  readonly signal?: AbortSignal;
  /** Overrides the VM's `socketWaitTimeoutMs` for this start. */
  readonly socketWaitTimeoutMs?: number;
  /**
   * `false` stops after configuring, before `InstanceStart` (or the snapshot load): the VM stays
   * `not-started` with its process up, for the pre-boot calls, until `vm.boot()`. Not possible
   * with a config file, from which Firecracker boots at once. Default true.
   */
  readonly boot?: boolean;
}

/** What `vm.boot()` takes. */
export interface VmBootOptions {
  readonly signal?: AbortSignal;
  /** Overrides the VM's API timeout for the boot request. */
  readonly timeoutMs?: number;
}

/** Boots a configured VM: `InstanceStart`, or `/snapshot/load` for a restored one. */
export const bootVm = async (
  core: VmCore,
  caller: string,
  seen: ResolvedVmConfiguration,
  options: VmCallOptions,
): Promise<void> => {
  if (seen.kind === 'restored-from-snapshot') {
    await core.send(caller, buildSnapshotLoadCall(seen), options);
    core.setRunState(seen.resume === true ? 'running' : 'paused');
  } else if (seen.kind === 'new-via-api') {
    await core.send(caller, INSTANCE_START_CALL, options);
    core.setRunState('running');
  }
};

/** `vm.boot()`: boots a VM started with `{ boot: false }`. */
export const bootStartedVm = (core: VmCore, options: unknown): Promise<void> => {
  const checked = checkOptionObject(
    options ?? {},
    ['signal', 'timeoutMs'],
    'options',
    'ERR_INVALID_INPUT',
  );
  const signal = checkSignal(checked['signal'], 'options.signal');
  const timeoutMs = checkTimeoutMs(checked['timeoutMs'], 'options.timeoutMs');
  return core.runLifecycle('vm.boot()', async () => {
    assertVmState(core.view(), ['pre-boot'], 'vm.boot()');
    await bootVm(core, 'vm.boot()', core.seenConfiguration(), {
      ...(signal === undefined ? {} : { signal }),
      ...(timeoutMs === undefined ? {} : { timeoutMs }),
    });
  });
};

const configure = async (
  core: VmCore,
  seen: ResolvedVmConfiguration,
  boot: boolean,
  options: VmCallOptions,
): Promise<void> => {
  if (seen.kind === 'new-via-config-file') {
    await waitForConfigFileBuild(core, seen, options.signal);
    if (core.process.state !== 'started') {
      throw new VmError(
        'ERR_START_FAILED',
        'vm.start(): Firecracker ended while building the VM from its config file',
      );
    }
    // Firecracker boots from the file before it serves the API: ask it how the VM is.
    await core.refreshState('vm.start()', options);
    return;
  }
  const calls =
    seen.kind === 'restored-from-snapshot' ? planRestoreCalls(seen) : planNewVmCalls(seen);
  for (const call of calls) {
    await core.send('vm.start()', call, options);
  }
  if (boot) {
    await bootVm(core, 'vm.start()', seen, options);
  }
};

/**
 * `vm.start()`: writes the config file if there is one, starts Firecracker, waits for its API
 * socket, then configures and boots the VM. Any failure after the spawn kills the process and
 * throws `ERR_START_FAILED`.
 */
export const startVm = async (core: VmCore, options: unknown): Promise<void> => {
  const checked = checkOptionObject(
    options ?? {},
    ['signal', 'socketWaitTimeoutMs', 'boot'],
    'options',
    'ERR_INVALID_INPUT',
  );
  const signal = checkSignal(checked['signal'], 'options.signal');
  const socketWaitTimeoutMs = checkTimeoutMs(
    checked['socketWaitTimeoutMs'],
    'options.socketWaitTimeoutMs',
  );
  const boot = checkOptionalBoolean(checked['boot'], 'options.boot', 'ERR_INVALID_INPUT') ?? true;
  if (!boot && core.options.configuration.kind === 'new-via-config-file') {
    failInput(
      'ERR_INVALID_INPUT',
      'options.boot',
      'cannot be false for a VM booted from a config file: Firecracker boots it at once',
      false,
    );
  }
  const callOptions = signal === undefined ? {} : { signal };
  await core.runLifecycle('vm.start()', async () => {
    if (core.launched || core.cleanedUp) {
      throw new VmError(
        'ERR_WRONG_STATE',
        core.cleanedUp
          ? 'vm.start(): this VM was cleaned up and cannot be used again: prepare a new Vm'
          : 'vm.start() runs once per Vm: to start again, clean up and prepare a new Vm',
      );
    }
    const seen = core.seenConfiguration();
    if (seen.kind === 'new-via-config-file') {
      await writeConfigFile(core, seen);
    }
    core.markLaunched();
    try {
      await core.process.invoke({
        ...(seen.kind === 'new-via-config-file' ? { configPath: seen.configFilePath } : {}),
        ...callOptions,
        ...(socketWaitTimeoutMs === undefined ? {} : { socketWaitTimeoutMs }),
      });
    } catch (error) {
      core.recordFailedStart(error);
      if (signal?.aborted === true) {
        throw signal.reason;
      }
      // The process layer quotes the output of a process that exited before its socket accepted.
      const words = await readFirecrackerWords(core, {
        output: errorCodeOf(error) !== 'ERR_SOCKET_WAIT_EXITED',
      });
      throw new VmError(
        'ERR_START_FAILED',
        `vm.start(): Firecracker did not come up: ${errorMessageOf(error)}${words}`,
        { cause: error },
      );
    }
    core.watchExit();
    try {
      await configure(core, seen, boot, callOptions);
    } catch (error) {
      const { exit, killSent } = await core.abandon(error);
      if (signal?.aborted === true) {
        throw signal.reason;
      }
      const end = describeAbandonedEnd(exit, killSent);
      const words = await readFirecrackerWords(core, { output: true });
      throw new VmError('ERR_START_FAILED', `${errorMessageOf(error)}; ${end}${words}`, {
        cause: error,
      });
    }
  });
};
