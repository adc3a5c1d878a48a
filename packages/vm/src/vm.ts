// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { prepareRestoredVm, type VmRestoreOptions } from './prepare-restored-vm.js';
import { prepareVm, type VmPrepareOptions } from './prepare-vm.js';
import { resolveShutdownActions, type ShutdownAction, type ShutdownOutcome } from './shutdown.js';
import { shutdownVm } from './shutdown-vm.js';
import { createVmSnapshot, type CreateSnapshotOptions } from './snapshot-vm.js';
import { bootStartedVm, startVm, type VmBootOptions, type VmStartOptions } from './start-vm.js';
import type { VmEndEvent } from './vm-api.js';
import { VmResourceUsageReader } from './vm-resource-usage.js';
import {
  checkStepOptions,
  type VmCore,
  type VmEndListener,
  type VmStepOptions,
} from './vm-core.js';
import type { VmSnapshot } from './vm-snapshot.js';

/**
 * A Firecracker microVM: configured, booted, driven through every v1.16.1 API endpoint, paused,
 * snapshotted, restored and shut down.
 *
 * `Vm.prepare` validates the configuration with the Firecracker models and lays out its files
 * through the executor; `start()` spawns Firecracker and boots the VM. Every API method checks
 * the state first and fails with `ERR_WRONG_STATE` naming the state it needs. The state follows
 * the process: its end makes the VM `exited` (a clean end, or one Kindling was asked for) or
 * `crashed`, and fires `exit` or `crash`. `await using` shuts the VM down with its
 * `shutdownActions` and cleans up.
 */
export class Vm extends VmResourceUsageReader implements AsyncDisposable {
  readonly #core: VmCore;
  #disposal: Promise<void> | undefined;

  private constructor(core: VmCore) {
    super(core);
    this.#core = core;
  }

  /**
   * Validates the options and configuration, then prepares the VM's files through the executor:
   * a jailed one moves kernel, drives and pmem files into the jail and creates the log, metrics
   * and serial files or FIFOs there. Nothing is spawned yet; a failure undoes what was done.
   */
  static async prepare(options: VmPrepareOptions): Promise<Vm> {
    const announcer = Vm.#announcer();
    const vm = new Vm(await prepareVm(options, announcer.listener));
    announcer.target.vm = vm;
    return vm;
  }

  /**
   * Prepares a new VM from a snapshot, by default with the snapshotted VM's installation,
   * spawners, ownership and move method. It works while the snapshotted VM runs (give it
   * `networkOverrides` and a `vsockOverride` when both would share a TAP or a socket) and after
   * it has ended; once that VM is cleaned up, the drives come from the configuration's originals.
   */
  static async restore(snapshot: VmSnapshot, options: VmRestoreOptions): Promise<Vm> {
    const announcer = Vm.#announcer();
    const vm = new Vm(await prepareRestoredVm(snapshot, options, announcer.listener));
    announcer.target.vm = vm;
    return vm;
  }

  // The process cannot end before the Vm exists: it is spawned by start().
  static #announcer(): { target: { vm?: Vm }; listener: VmEndListener } {
    const target: { vm?: Vm } = {};
    const listener: VmEndListener = (state, exit) => {
      const event: VmEndEvent = new CustomEvent(state === 'exited' ? 'exit' : 'crash', {
        detail: exit,
      });
      // Fired before any wait on the end settles, so code after `await vm.shutdown()` sees it. A
      // listener that throws cannot break the bookkeeping: EventTarget reports it as uncaught.
      target.vm?.dispatchEvent(event);
    };
    return { target, listener };
  }

  /**
   * Starts Firecracker and boots the VM. A new VM is configured by API calls in Firecracker's
   * own order and started with `InstanceStart`, or boots from its config file; a restored VM gets
   * its logger, metrics, serial and MMDS data, then loads its snapshot (`paused` unless
   * `resume`). Any failure kills the process and throws `ERR_START_FAILED`: clean up, then
   * prepare a new VM.
   */
  start(options?: VmStartOptions): Promise<void> {
    return startVm(this.#core, options);
  }

  /**
   * Boots a VM started with `{ boot: false }`: `InstanceStart` for a new VM, `/snapshot/load` for
   * a restored one. A refused `InstanceStart` leaves the process up, so the configuration can be
   * fixed and `boot()` called again; a failed snapshot load ends Firecracker (`crashed`).
   */
  boot(options?: VmBootOptions): Promise<void> {
    return bootStartedVm(this.#core, options);
  }

  /**
   * `PUT /snapshot/create` of a `paused` VM: writes the state and memory files where Firecracker
   * sees `snapshotPath` and `memPath`, as the VM's own files (removed by `cleanup()`), and returns
   * the snapshot, which can `copy()` them out and be restored with `Vm.restore`. The timeout
   * defaults to 120 000 ms, since the API is blocked while the memory is written.
   */
  createSnapshot(options: CreateSnapshotOptions = {}): Promise<VmSnapshot> {
    return createVmSnapshot(this.#core, options);
  }

  /**
   * Ends the process by trying each action in order (default: the VM's `shutdownActions`,
   * Ctrl+Alt+Del then kill) and reports which one worked, whether it was graceful, and why the
   * others failed; throws `ERR_SHUTDOWN_FAILED` when none did. The VM is `exited` afterwards,
   * since it ended as asked; call `cleanup()` next. A VM whose process is not up (never started,
   * already ended, cleaned up) is left as it is, and the outcome says `alreadyDown`.
   */
  shutdown(actions?: readonly ShutdownAction[], options?: VmStepOptions): Promise<ShutdownOutcome> {
    const resolved =
      actions === undefined ? this.#core.options.shutdownActions : resolveShutdownActions(actions);
    const signal = checkStepOptions(options);
    return this.#core.runLifecycle('vm.shutdown()', () => shutdownVm(this.#core, resolved, signal));
  }

  /**
   * Removes everything the VM put on the host: its created and produced files, what was moved
   * in (a jailed VM's whole jail), the API socket and the process record. Needs the process
   * ended (or never started); harmless a second time. The VM cannot be used afterwards.
   */
  async cleanup(options?: VmStepOptions): Promise<void> {
    const signal = checkStepOptions(options);
    if (this.#core.cleanedUp) {
      return;
    }
    await this.#core.runLifecycle('vm.cleanup()', async () => {
      await this.stopGuestIo();
      await this.#core.cleanup(signal);
    });
  }

  /**
   * Shuts the VM down with its `shutdownActions` if the process is up, then cleans up; waits for
   * a step in progress first. Disposing twice is harmless; a failure is thrown, never hidden.
   */
  [Symbol.asyncDispose](): Promise<void> {
    this.#disposal ??= this.#dispose();
    return this.#disposal;
  }

  async #dispose(): Promise<void> {
    const core = this.#core;
    await core.settleLifecycle();
    if (core.processUp) {
      await core.runLifecycle('disposal', () => shutdownVm(core, core.options.shutdownActions));
    }
    if (!core.cleanedUp) {
      await core.runLifecycle('disposal', async () => {
        await this.stopGuestIo();
        await core.cleanup();
      });
    }
  }
}
