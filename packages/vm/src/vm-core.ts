// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import type { Writable } from 'node:stream';
import type { ProcessHandle, ProcessHandleExit } from '@kindling/executor';
import type { ApiClient, ApiResponse, ResponseSchema, VmmProcess } from '@kindling/process';
import {
  instanceInfoSchema,
  parseWithSchema,
  type InstanceInfo,
  type Resource,
  type ResourceSystem,
} from '@kindling/vmm-core';
import { mapConfigurationFiles } from './configuration-files.js';
import { VmError, errorCodeOf, errorMessageOf } from './errors.js';
import { checkOptionObject, checkSignal, checkTimeoutMs, type WireSchema } from './input-checks.js';
import type { ResolvedVmPrepareOptions } from './prepare-options.js';
import { sendApiCall, type ApiCall, type VmCallOptions } from './send-api-call.js';
import {
  assertVmState,
  type VmState,
  type VmStateRequirement,
  type VmStateView,
} from './vm-state.js';

/** What `vm.waitForExit()` takes. */
export interface VmWaitOptions {
  readonly signal?: AbortSignal;
  /** Default 30 000 ms; `Infinity` for none. */
  readonly timeoutMs?: number;
}

/** What `vm.shutdown()` and `vm.cleanup()` take. */
export interface VmStepOptions {
  readonly signal?: AbortSignal;
}

/** Checks the options of a step that takes only a signal, and returns the signal. */
export const checkStepOptions = (options: unknown): AbortSignal | undefined =>
  checkSignal(
    checkOptionObject(options ?? {}, ['signal'], 'options', 'ERR_INVALID_INPUT')['signal'],
    'options.signal',
  );

/** What a `VmCore` is made of, once `prepareVm` has laid out its files. */
export interface VmCoreParts {
  readonly options: ResolvedVmPrepareOptions;
  readonly resourceSystem: ResourceSystem;
  /** The resource of each path of the configuration, by field (`drives[0].path_on_host`). */
  readonly files: ReadonlyMap<string, Resource>;
  readonly process: VmmProcess;
  /** Where the kind of the started process's handle is put, for its stdin. */
  readonly handleKind: { readonly current?: ProcessHandle['kind'] };
}

/** Told when the process ends, with the state it left the VM in. */
export type VmEndListener = (state: 'exited' | 'crashed', exit: ProcessHandleExit) => void;

const DEFAULT_EXIT_WAIT_MS = 30_000;
const ABANDON_WAIT_MS = 10_000;
// How long a process whose API connection broke during a start may take to end by itself:
// Firecracker's API thread panics when the VMM fails its config file, and the process aborts.
const ABANDON_GRACE_MS = 2_000;
// How long a process whose API connection broke during any other call may take to end: a process
// that is gone is detected in milliseconds (pidfd, or the child's exit), one that lives on waits.
const BROKEN_CALL_GRACE_MS = 1_000;

const isCleanExit = (exit: ProcessHandleExit): boolean => exit.kind === 'exited' && exit.code === 0;

// An end the VM asked for with SIGKILL: that signal, or an end whose status cannot be seen.
const isKillEnd = (exit: ProcessHandleExit): boolean =>
  exit.kind === 'unknown' || (exit.kind === 'signaled' && exit.signal === 'SIGKILL');

// A request that failed without an answer, for a reason other than time: the connection broke.
// The API client's own error passes through (a timeout is ERR_API_TIMEOUT, not this).
const isBrokenConnection = (error: unknown): boolean => errorCodeOf(error) === 'ERR_API_REQUEST';

// A refused `/snapshot/load`: Firecracker's pre-boot controller treats a failed load as fatal, so
// it answers 400 and then exits by itself with code 1.
const isRefusedSnapshotLoad = (error: unknown): boolean => {
  const cause: unknown = error instanceof Error ? error.cause : undefined;
  return (
    errorCodeOf(error) === 'ERR_API_RESPONSE' &&
    typeof cause === 'object' &&
    cause !== null &&
    'path' in cause &&
    cause.path === '/snapshot/load'
  );
};

// One check per model, made at its first use rather than at every call.
const responseChecks = new WeakMap<WireSchema, ResponseSchema<unknown>>();

/** A response check for `ApiClient` made of a vmm-core model (the same object every time). */
export const responseOf = <Schema extends WireSchema>(
  schema: Schema,
): ResponseSchema<ReturnType<typeof parseWithSchema<Schema>>> => {
  let check = responseChecks.get(schema);
  if (check === undefined) {
    check = { parse: (value: unknown) => parseWithSchema(schema, value, 'response') };
    responseChecks.set(schema, check);
  }
  return check as ResponseSchema<ReturnType<typeof parseWithSchema<Schema>>>;
};

/**
 * The inside of a `Vm`: its process, files and state, kept true by watching the process, and the
 * one place requests go through, each after a state check. Lifecycle steps (start, boot,
 * snapshot, shutdown, cleanup) run one at a time through `runLifecycle`.
 */
export class VmCore {
  readonly options: ResolvedVmPrepareOptions;
  readonly resourceSystem: ResourceSystem;
  readonly files: ReadonlyMap<string, Resource>;
  readonly process: VmmProcess;
  /** Snapshot files made so far, by the path Firecracker sees. */
  readonly snapshotFiles = new Map<string, Resource>();
  /** How the VM expects its process to end, so an end it asked for is not taken for a crash. */
  expectedEnd: 'graceful' | 'kill' | undefined;
  readonly #handleKind: { readonly current?: ProcessHandle['kind'] };
  readonly #onEnd: VmEndListener;
  #state: VmState = 'not-started';
  #launched = false;
  #processUp = false;
  #cleanedUp = false;
  #exit: ProcessHandleExit | undefined;
  #exitSeen: Promise<void> = Promise.resolve();
  #endAnnounced = false;
  // Taken from the process at the first need, since it can be taken once; null when not piped.
  #stdin: Writable | null | undefined;
  #busy: { readonly call: string; readonly done: Promise<unknown> } | undefined;

  constructor(parts: VmCoreParts, onEnd: VmEndListener) {
    this.options = parts.options;
    this.resourceSystem = parts.resourceSystem;
    this.files = parts.files;
    this.process = parts.process;
    this.#handleKind = parts.handleKind;
    this.#onEnd = onEnd;
  }

  get state(): VmState {
    return this.#state;
  }

  get exit(): ProcessHandleExit | undefined {
    return this.#exit;
  }

  get launched(): boolean {
    return this.#launched;
  }

  get processUp(): boolean {
    return this.#processUp;
  }

  get cleanedUp(): boolean {
    return this.#cleanedUp;
  }

  /** Whether the process is an attached child, whose stdio is Firecracker's own. */
  get attached(): boolean {
    return this.#handleKind.current === 'attached';
  }

  /** Firecracker's stdin (the serial console), when the process is attached, piped and open. */
  get stdin(): Writable | null {
    // A detached Firecracker's stdin is not ours: what the process holds is the jailer's, gone.
    if (this.#handleKind.current !== 'attached') {
      return null;
    }
    if (this.#stdin === undefined) {
      try {
        this.#stdin = this.process.takeStdin();
      } catch (error) {
        if (errorCodeOf(error) !== 'ERR_STDIO_UNAVAILABLE') {
          throw new VmError(
            'ERR_PROCESS',
            `the serial console cannot be written: ${errorMessageOf(error)}`,
            { cause: error },
          );
        }
        this.#stdin = null;
      }
    }
    return this.#stdin?.writable === true ? this.#stdin : null;
  }

  /** Resolves once the end of the process has been recorded (at once if it is not watched). */
  get exitSeen(): Promise<void> {
    return this.#exitSeen;
  }

  view(): VmStateView {
    return {
      state: this.#state,
      processUp: this.#processUp,
      restoring: this.options.configuration.kind === 'restored-from-snapshot',
      cleanedUp: this.#cleanedUp,
    };
  }

  /** The configuration with each resource's path replaced by the one Firecracker sees. */
  seenConfiguration(): ResolvedVmPrepareOptions['configuration'] {
    return mapConfigurationFiles(this.options.configuration, this.options.moveMethod, (file) => {
      const resource = this.files.get(file.field);
      if (resource === undefined) {
        throw new TypeError(`no resource for ${file.field}`);
      }
      return resource.virtualPath;
    });
  }

  /** The host path of a configured path (as given), or of a path as Firecracker sees it. */
  resolveEffectivePath(file: string): string {
    for (const resource of this.resourceSystem.resources) {
      if (resource.initialPath === file && resource.state === 'initialized') {
        return resource.effectivePath;
      }
    }
    return this.process.resolveEffectivePath(file);
  }

  /** Runs a lifecycle step, refusing it while another one runs. */
  async runLifecycle<Result>(call: string, work: () => Promise<Result>): Promise<Result> {
    if (this.#busy !== undefined) {
      throw new VmError(
        'ERR_WRONG_STATE',
        `${call} cannot run while ${this.#busy.call} is in progress: await it first`,
      );
    }
    const done = work();
    this.#busy = { call, done };
    try {
      return await done;
    } finally {
      this.#busy = undefined;
    }
  }

  /** Resolves once the lifecycle step in progress, if any, has settled. */
  async settleLifecycle(): Promise<void> {
    await Promise.allSettled([this.#busy?.done]);
  }

  /** Sends a call without a state check (the caller has checked). */
  send<Body>(
    caller: string,
    call: ApiCall,
    options: VmCallOptions,
    schema?: ResponseSchema<Body>,
  ): Promise<ApiResponse<Body>> {
    let api: ApiClient;
    try {
      api = this.process.api;
    } catch (error) {
      // The process ended a moment ago, and the VM has not heard yet.
      return Promise.reject(
        new VmError(
          'ERR_WRONG_STATE',
          `${caller}: the Firecracker process is not up: ${errorMessageOf(error)}`,
          {
            cause: error,
          },
        ),
      );
    }
    return sendApiCall<Body>(api, call, {
      caller,
      options,
      schema,
      logger: this.options.logger,
    }).catch(async (error: unknown) => {
      // A connection that broke may be Firecracker ending (a crash while snapshotting, a guest
      // that died): the call fails only once the VM knows, so its state and `crash` event are
      // true when the caller sees the error.
      if (isBrokenConnection(error) && this.#processUp) {
        await this.#endWithin(BROKEN_CALL_GRACE_MS);
        if (this.process.state !== 'started') {
          await this.#exitSeen;
        }
      }
      throw error;
    });
  }

  /** Checks the state, then sends the call and returns the body of the answer. */
  async request<Body>(
    caller: string,
    needs: readonly VmStateRequirement[],
    call: ApiCall,
    options: VmCallOptions,
    schema?: ResponseSchema<Body>,
  ): Promise<Body> {
    assertVmState(this.view(), needs, caller);
    const response = await this.send(caller, call, options, schema);
    return response.body as Body;
  }

  /** Records a run state Firecracker confirmed, unless the process has ended meanwhile. */
  setRunState(state: 'running' | 'paused' | 'not-started'): void {
    if (this.#processUp) {
      this.#state = state;
    }
  }

  /** `GET /`, and the run state it reports. */
  async refreshState(caller: string, options: VmCallOptions): Promise<InstanceInfo> {
    const info = await this.request(
      caller,
      ['process-up'],
      { method: 'GET', path: '/' },
      options,
      responseOf(instanceInfoSchema),
    );
    this.setRunState(
      info.state === 'Running' ? 'running' : info.state === 'Paused' ? 'paused' : 'not-started',
    );
    return info;
  }

  /** Marks the process as started (or as having been tried), before `invoke`. */
  markLaunched(): void {
    this.#launched = true;
  }

  /** Starts watching a process that came up: its end sets the state and tells `onEnd`. */
  watchExit(): void {
    this.#processUp = true;
    this.#exitSeen = this.#recordEndOnceSeen();
  }

  /**
   * Records how a process that never came up (a failed `invoke`) ended, if it did: by itself
   * before its socket appeared (`ERR_SOCKET_WAIT_EXITED`), or killed by `VmmProcess` after a
   * socket-wait timeout or an abort, an end that was asked for.
   */
  recordFailedStart(error: unknown): void {
    const exit = this.process.exit;
    if (exit !== undefined) {
      const killed = errorCodeOf(error) !== 'ERR_SOCKET_WAIT_EXITED' && isKillEnd(exit);
      this.#announceEnd(exit, isCleanExit(exit) || killed ? 'exited' : 'crashed');
    }
  }

  /** Sends SIGKILL, as an end the VM asked for. */
  kill(): void {
    this.expectedEnd = 'kill';
    try {
      this.process.kill();
    } catch (error) {
      throw new VmError('ERR_PROCESS', `could not kill Firecracker: ${errorMessageOf(error)}`, {
        cause: error,
      });
    }
  }

  /**
   * Ends a process that cannot be used (a failed start) and returns how it really ended, and
   * whether the SIGKILL sent here may be what ended it: Firecracker failing its config file
   * aborts by itself. A process whose API connection broke, or that refused a snapshot load, is
   * given a moment to end by itself first. A kill that fails is thrown with the start's error
   * (`AggregateError` as cause), never hidden.
   */
  async abandon(
    startError: unknown,
  ): Promise<{ readonly exit: ProcessHandleExit; readonly killSent: boolean }> {
    let killSent = false;
    if (this.#processUp) {
      if (isBrokenConnection(startError) || isRefusedSnapshotLoad(startError)) {
        await this.#endWithin(ABANDON_GRACE_MS);
      }
      try {
        if (this.process.state === 'started') {
          this.expectedEnd = 'kill';
          killSent = this.process.kill();
        }
        await this.process.waitForExit({ timeoutMs: ABANDON_WAIT_MS });
      } catch (killError) {
        throw new VmError(
          'ERR_START_FAILED',
          `${errorMessageOf(startError)}; and Firecracker (pid ${String(this.process.pid)}) could not be killed: ${errorMessageOf(killError)}`,
          { cause: new AggregateError([startError, killError]) },
        );
      }
    }
    await this.#exitSeen;
    return { exit: this.#exit ?? { kind: 'unknown' }, killSent };
  }

  /** Waits for the process to end and returns how it did. */
  async waitForExit(options: VmWaitOptions | undefined): Promise<ProcessHandleExit> {
    const checked = checkOptionObject(
      options ?? {},
      ['signal', 'timeoutMs'],
      'options',
      'ERR_INVALID_INPUT',
    );
    const signal = checkSignal(checked['signal'], 'options.signal');
    const timeoutMs =
      checkTimeoutMs(checked['timeoutMs'], 'options.timeoutMs') ?? DEFAULT_EXIT_WAIT_MS;
    if (this.#exit !== undefined) {
      return this.#exit;
    }
    if (!this.#processUp) {
      throw new VmError(
        'ERR_WRONG_STATE',
        'vm.waitForExit() needs a started VM: call vm.start() first',
      );
    }
    try {
      await this.process.waitForExit({ timeoutMs, ...(signal === undefined ? {} : { signal }) });
    } catch (error) {
      if (signal?.aborted === true) {
        throw signal.reason;
      }
      // The executor's timeout asks the same of the user (shut it down, or wait longer).
      throw errorCodeOf(error) === 'ERR_WAIT_TIMEOUT'
        ? error
        : new VmError(
            'ERR_PROCESS',
            `vm.waitForExit(): the exit of Firecracker could not be observed: ${errorMessageOf(error)}`,
            { cause: error },
          );
    }
    await this.#exitSeen;
    return this.#exit ?? { kind: 'unknown' };
  }

  /** Takes stdout or stderr from the process, once. */
  takeStream(name: 'stdout' | 'stderr'): ReturnType<VmmProcess['takeStdout']> {
    const call = name === 'stdout' ? 'vm.takeStdout()' : 'vm.takeStderr()';
    try {
      return name === 'stdout' ? this.process.takeStdout() : this.process.takeStderr();
    } catch (error) {
      throw new VmError(
        errorCodeOf(error) === 'ERR_WRONG_STATE' ? 'ERR_WRONG_STATE' : 'ERR_PROCESS',
        `${call}: ${errorMessageOf(error)}`,
        { cause: error },
      );
    }
  }

  /** Removes every file the VM put on the host, through the executor; the VM is then done. */
  async cleanup(signal?: AbortSignal): Promise<void> {
    if (this.#cleanedUp) {
      return;
    }
    if (this.#processUp) {
      throw new VmError(
        'ERR_WRONG_STATE',
        'vm.cleanup() needs the Firecracker process ended: await vm.shutdown() first, or dispose the VM',
      );
    }
    await this.#exitSeen;
    try {
      // The executor disposes of every resource (snapshot files too), then of a jail as a whole.
      await this.process.cleanup(signal === undefined ? {} : { signal });
    } catch (error) {
      if (signal?.aborted === true) {
        throw signal.reason;
      }
      throw new VmError(
        'ERR_CLEANUP_FAILED',
        `vm.cleanup(): ${errorMessageOf(error)}: fix the cause and call cleanup() again`,
        { cause: error },
      );
    }
    this.#cleanedUp = true;
  }

  async #recordEndOnceSeen(): Promise<void> {
    let exit: ProcessHandleExit;
    try {
      exit = await this.process.exited;
    } catch (error) {
      // An exit that cannot be observed is recorded as unknown with its error, never as clean.
      this.#recordEnd(this.process.exit ?? { kind: 'unknown' }, error);
      return;
    }
    this.#recordEnd(exit);
  }

  #recordEnd(exit: ProcessHandleExit, error?: unknown): void {
    this.#processUp = false;
    // A kill asked for explains a SIGKILL only: a SIGABRT that beat it is Firecracker's own end.
    const asked =
      (this.expectedEnd === 'kill' && isKillEnd(exit)) ||
      (this.expectedEnd !== undefined && exit.kind === 'unknown');
    if (error !== undefined) {
      this.options.logger?.warn(
        `The exit of Firecracker (pid ${String(this.process.pid)}) could not be observed: ${errorMessageOf(error)}`,
      );
    }
    this.#announceEnd(exit, isCleanExit(exit) || asked ? 'exited' : 'crashed');
  }

  // Every end of a started process is recorded and announced once, before any wait on it settles.
  #announceEnd(exit: ProcessHandleExit, state: 'exited' | 'crashed'): void {
    if (this.#endAnnounced) {
      return;
    }
    this.#endAnnounced = true;
    this.#exit = exit;
    this.#state = state;
    this.#onEnd(state, exit);
  }

  async #endWithin(ms: number): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      // An end that cannot be observed ends the grace just as well.
      Promise.allSettled([this.process.exited]),
      new Promise<void>((resolve) => {
        timer = setTimeout(resolve, ms);
      }),
    ]);
    clearTimeout(timer);
  }
}
