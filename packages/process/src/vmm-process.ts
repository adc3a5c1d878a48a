// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import type {
  ProcessHandle,
  ProcessHandleExit,
  ResourceUsage,
  VmmExecutor,
  VmmExecutorContext,
} from '@kindling/executor';
import {
  type ApiClient,
  createApiClientOn,
  DEFAULT_API_TIMEOUT_MS,
  type ApiRequestOptions,
} from './api-client.js';
import { ProcessError } from './errors.js';
import {
  failOption,
  resolveAbsolutePaths,
  resolveSignal,
  resolveTimeoutMs,
  timerMs,
} from './option-checks.js';
import { RecordKeeper, resolveStateDir } from './record-keeper.js';
import { restrictSocketToOwner } from './owner-only-socket.js';
import { readResourceUsageOf, type ResourceUsageReadOptions } from './resource-usage-read.js';
import { connectWhenReady, DEFAULT_SOCKET_WAIT_TIMEOUT_MS } from './socket-wait.js';
import { assertState, type VmmProcessState } from './state.js';
import { WatchedProcess } from './watched-process.js';

/** What a caller passes to create a `VmmProcess`. */
export interface VmmProcessOptions {
  /** How Firecracker is run: `UnrestrictedExecutor` or `JailedExecutor`. */
  readonly executor: VmmExecutor;
  /** The installation, spawner, ownership model and resources the executor works over. */
  readonly context: VmmExecutorContext;
  /** How long `invoke()` waits for the API socket by default (default 5 000 ms). */
  readonly socketWaitTimeoutMs?: number;
  /** The default timeout of each API request (default 10 000 ms). */
  readonly apiTimeoutMs?: number;
  /**
   * Where running processes are recorded for `reconcile()` (default `defaultStateDir()`), or
   * `false` not to record them.
   */
  readonly stateDir?: string | false;
  /**
   * Whether SIGINT, SIGTERM or SIGHUP sent to this Node process kills the VMM at once (default
   * `true`). With `false`, your own signal handler shuts it down; it is still killed when Node
   * exits, and when nothing but the guard listens for the signal.
   */
  readonly killOnSignal?: boolean;
}

/** What `invoke()` takes. */
export interface VmmProcessInvokeOptions {
  /** A Firecracker `--config-file`, as the VMM sees it (inside the jail for a jailed executor). */
  readonly configPath?: string;
  readonly signal?: AbortSignal;
  /** Overrides the process's `socketWaitTimeoutMs` for this start. */
  readonly socketWaitTimeoutMs?: number;
}

/** What `prepare()` and `cleanup()` take. */
export interface VmmProcessStepOptions {
  readonly signal?: AbortSignal;
}

/** What `waitForExit()` takes. */
export interface VmmProcessWaitOptions {
  readonly signal?: AbortSignal;
  /** Default 30 000 ms; `Infinity` for none. */
  readonly timeoutMs?: number;
}

// The process's streams, as its handle has them when they are piped.
type Readable = NonNullable<ProcessHandle['stdout']>;
type Writable = NonNullable<ProcessHandle['stdin']>;

const DEFAULT_EXIT_WAIT_MS = 30_000;
const DEFAULT_OUTPUT_WAIT_MS = 5_000;
// How long a process may take to end after SIGKILL before disposal gives up with an error.
const KILL_WAIT_MS = 10_000;

const wrapExecutorError = (call: string, error: unknown): ProcessError =>
  new ProcessError('ERR_EXECUTOR', `${call} failed: ${(error as Error).message}`, {
    cause: error,
  });

/**
 * One Firecracker process and its life: `prepare()` lays out its files, `invoke()` starts it and
 * waits for its API socket, and `cleanup()` removes what it left once it has ended. Every call
 * checks the state first and throws `ERR_WRONG_STATE` naming the state it needs. The process dies
 * with its Node parent, is recorded for `reconcile()`, and `await using` tears it all down.
 */
export class VmmProcess implements AsyncDisposable {
  readonly #executor: VmmExecutor;
  readonly #context: VmmExecutorContext;
  readonly #socketWaitTimeoutMs: number;
  readonly #apiTimeoutMs: number;
  readonly #records: RecordKeeper;
  readonly #killOnSignal: boolean;
  // The state before start; from then on the watched process says whether it has ended.
  #phase: 'awaiting-prepare' | 'awaiting-start' = 'awaiting-prepare';
  #busy: { readonly call: string; readonly done: Promise<unknown> } | undefined;
  #cleanedUp = false;
  #disposal: Promise<void> | undefined;
  #watched: WatchedProcess | undefined;
  #api: ApiClient | undefined;
  #exited: Promise<ProcessHandleExit> | undefined;
  #stdinTaken = false;

  constructor(options: VmmProcessOptions) {
    if (typeof options.executor?.invoke !== 'function') {
      failOption('options.executor', 'a VmmExecutor', options.executor);
    }
    if (typeof options.context !== 'object' || options.context === null) {
      failOption('options.context', 'a VmmExecutorContext', options.context);
    }
    this.#executor = options.executor;
    this.#context = options.context;
    this.#socketWaitTimeoutMs = resolveTimeoutMs(
      'options.socketWaitTimeoutMs',
      options.socketWaitTimeoutMs,
      DEFAULT_SOCKET_WAIT_TIMEOUT_MS,
    );
    this.#apiTimeoutMs = resolveTimeoutMs(
      'options.apiTimeoutMs',
      options.apiTimeoutMs,
      DEFAULT_API_TIMEOUT_MS,
    );
    this.#records = new RecordKeeper({
      stateDir: resolveStateDir(options.stateDir),
      executor: this.#executor,
      context: this.#context,
      running: () => {
        const watched = this.#watched;
        return watched === undefined || watched.hasEnded ? undefined : watched.handle;
      },
    });
    if (options.killOnSignal !== undefined && typeof options.killOnSignal !== 'boolean') {
      failOption('options.killOnSignal', 'a boolean', options.killOnSignal);
    }
    this.#killOnSignal = options.killOnSignal ?? true;
  }

  /** Where the process is in its life. */
  get state(): VmmProcessState {
    const watched = this.#watched;
    if (watched === undefined) {
      return this.#phase;
    }
    if (!watched.hasEnded) {
      return 'started';
    }
    // Only an exit seen to be code 0 is clean; a detached process's unseen status never is.
    return watched.endedCleanly ? 'exited' : 'crashed';
  }

  /** The Firecracker process's pid once invoked. */
  get pid(): number | undefined {
    return this.#watched?.handle.pid;
  }

  /** How the process ended, once it has; `undefined` before, or when it could not be seen. */
  get exit(): ProcessHandleExit | undefined {
    return this.#watched?.exit;
  }

  /**
   * Settles once the started process has ended: with how it ended (as `exit` then says), or
   * rejects with `ERR_EXECUTOR` when its end could not be observed. Unlike `waitForExit()` it has
   * no timeout; the same promise every time. Needs `started`, `exited` or `crashed`.
   */
  get exited(): Promise<ProcessHandleExit> {
    assertState(this.state, ['started', 'exited', 'crashed'], 'exited');
    this.#exited ??= this.#observeExit(this.#watched as WatchedProcess);
    return this.#exited;
  }

  /** The API socket's host path, or `undefined` when the API is disabled (`--no-api`). */
  get socketPath(): string | undefined {
    return this.#executor.getSocketPath(this.#context);
  }

  /** The API client; available while the process is `started` and its API is enabled. */
  get api(): ApiClient {
    assertState(this.state, ['started'], 'api');
    if (this.#api === undefined) {
      throw new ProcessError(
        'ERR_API_DISABLED',
        this.socketPath === undefined
          ? 'api: this VMM runs without an API socket (--no-api)'
          : 'api: the API socket is not ready yet: await invoke() first',
      );
    }
    return this.#api;
  }

  /** The host path of a path as Firecracker sees it (inside the jail for a jailed executor). */
  resolveEffectivePath(virtualPath: string): string {
    return this.#executor.resolveEffectivePath(this.#context, virtualPath);
  }

  /**
   * Lays out the process's files through the executor (stale socket, jail, resources); from
   * `awaiting-prepare` to `awaiting-start`. A failed prepare undoes what it did.
   */
  prepare(options: VmmProcessStepOptions = {}): Promise<void> {
    const signal = resolveSignal('options.signal', options.signal);
    const step = signal === undefined ? {} : { signal };
    return this.#run('prepare()', ['awaiting-prepare'], async () => {
      try {
        await this.#executor.prepare(this.#context, step);
      } catch (error) {
        try {
          await this.#executor.cleanup(this.#context);
        } catch (undoError) {
          throw new ProcessError(
            'ERR_EXECUTOR',
            `prepare() failed, and so did undoing it: ${(error as Error).message}; ${(undoError as Error).message}`,
            { cause: new AggregateError([error, undoError]) },
          );
        }
        throw wrapExecutorError('prepare()', error);
      }
      this.#phase = 'awaiting-start';
      // From now on its files are removed should Node go down before cleanup.
      this.#records.guard();
    });
  }

  /**
   * Starts Firecracker and resolves once its API socket accepts connections (at once with
   * `--no-api`); from `awaiting-start` to `started`. If the process exits first this fails with
   * `ERR_SOCKET_WAIT_EXITED`; if the socket does not come up in time (or `signal` aborts), the
   * process is killed before the error is thrown.
   */
  invoke(options: VmmProcessInvokeOptions = {}): Promise<void> {
    const signal = resolveSignal('options.signal', options.signal);
    const timeoutMs = resolveTimeoutMs(
      'options.socketWaitTimeoutMs',
      options.socketWaitTimeoutMs,
      this.#socketWaitTimeoutMs,
    );
    if (options.configPath !== undefined && typeof options.configPath !== 'string') {
      failOption('options.configPath', 'a path', options.configPath);
    }
    return this.#run('invoke()', ['awaiting-start'], async () => {
      let handle: ProcessHandle;
      try {
        handle = await this.#executor.invoke(this.#context, {
          ...(options.configPath === undefined ? {} : { configPath: options.configPath }),
          ...(signal === undefined ? {} : { signal }),
        });
      } catch (error) {
        throw wrapExecutorError('invoke()', error);
      }
      const watched = new WatchedProcess(handle, { killOnSignal: this.#killOnSignal });
      this.#watched = watched;
      let connection: Awaited<ReturnType<typeof connectWhenReady>> | undefined;
      try {
        // The record is written while Firecracker starts up, not before the wait: it is begun as
        // early as before (right after the spawn, so the window in which a SIGKILLed Node leaves
        // an unrecorded process is the same), and invoke() still returns only once it is on disk.
        const socketPath = this.socketPath;
        // A record that cannot be written fails the start at once, as it did before the wait.
        const recordFailed = new AbortController();
        const recording = this.#records.record(handle).catch((error: unknown) => {
          recordFailed.abort(error);
          throw error;
        });
        const connecting =
          socketPath === undefined
            ? undefined
            : connectWhenReady({
                socketPath,
                timeoutMs,
                signal:
                  signal === undefined
                    ? recordFailed.signal
                    : AbortSignal.any([signal, recordFailed.signal]),
                exited: watched.describeEnd(),
                outputTail: () => watched.outputTail(),
              });
        const [recorded, connected] = await Promise.allSettled([recording, connecting]);
        connection = connected.status === 'fulfilled' ? connected.value : undefined;
        if (recorded.status === 'rejected') {
          throw recorded.reason;
        }
        if (connected.status === 'rejected') {
          throw connected.reason;
        }
        if (socketPath !== undefined) {
          await restrictSocketToOwner(socketPath);
          this.#api = createApiClientOn(
            { socketPath, timeoutMs: this.#apiTimeoutMs },
            connection as NonNullable<typeof connection>,
          );
          connection = undefined;
        }
      } catch (error) {
        connection?.destroy();
        // A process that cannot be used must not keep running.
        try {
          await this.#killAndWait();
        } catch (killError) {
          throw new ProcessError(
            'ERR_KILL_FAILED',
            `invoke() failed (${(error as Error).message}), and the process could not be killed: ${(killError as Error).message}`,
            { cause: new AggregateError([error, killError]) },
          );
        }
        throw error;
      }
    });
  }

  /**
   * Removes what the process left behind (API socket, created resources or the whole jail) and
   * its state record; allowed before start and after the end, and harmless a second time.
   */
  async cleanup(options: VmmProcessStepOptions = {}): Promise<void> {
    const signal = resolveSignal('options.signal', options.signal);
    if (this.#cleanedUp) {
      return;
    }
    await this.#run('cleanup()', ['awaiting-start', 'exited', 'crashed'], () =>
      this.#cleanup(signal),
    );
  }

  /**
   * Names more host files of this VMM that its owner made, such as a vsock listener's socket (each
   * an absolute path). The owner removes them itself before `cleanup()`; should Node go down first
   * they are removed with the VMM's other files, and `reconcile()` removes them after a SIGKILL.
   * Rewrites the state record (see `updateRecord()`).
   */
  async addExtraPaths(paths: readonly string[]): Promise<void> {
    await this.#records.addExtraPaths(resolveAbsolutePaths('paths', paths));
  }

  /**
   * Rewrites the state record with what cleanup would now remove: call it after initialising a
   * resource of the process's resource system once the process runs (a snapshot file), so that
   * `reconcile()` removes that too should this Node process be SIGKILLed. Does nothing when the
   * process is not recorded (before `invoke()`, after cleanup, or with `stateDir: false`); throws
   * `ERR_STATE_RECORD` when the record cannot be written.
   */
  updateRecord(): Promise<void> {
    return this.#records.update();
  }

  /** Sends Ctrl+Alt+Del to the guest (`PUT /actions`; x86 only); needs `started`. */
  async sendCtrlAltDel(options: ApiRequestOptions = {}): Promise<void> {
    assertState(this.state, ['started'], 'sendCtrlAltDel()');
    await this.api.put('/actions', { action_type: 'SendCtrlAltDel' }, options);
  }

  /**
   * Kills the process with SIGKILL (it then ends `crashed`); needs `started`. Returns false when it
   * had already ended.
   */
  kill(): boolean {
    assertState(this.state, ['started'], 'kill()');
    const handle = (this.#watched as WatchedProcess).handle;
    try {
      return handle.kill('SIGKILL');
    } catch (error) {
      throw new ProcessError(
        'ERR_KILL_FAILED',
        `kill(): could not signal process ${handle.pid}: does this user own it?`,
        { cause: error },
      );
    }
  }

  /**
   * Waits for the process to end and returns how it did; needs `started`, `exited` or `crashed`.
   * A timeout rejects with the executor's `ERR_WAIT_TIMEOUT` and leaves the process running.
   */
  async waitForExit(options: VmmProcessWaitOptions = {}): Promise<ProcessHandleExit> {
    assertState(this.state, ['started', 'exited', 'crashed'], 'waitForExit()');
    const signal = resolveSignal('options.signal', options.signal);
    const timeoutMs = resolveTimeoutMs(
      'options.timeoutMs',
      options.timeoutMs,
      DEFAULT_EXIT_WAIT_MS,
    );
    const { handle } = this.#watched as WatchedProcess;
    try {
      return await handle.wait({
        // The handle's wait always has a timeout: "none" becomes the longest a timer can run.
        timeoutMs: timerMs(timeoutMs),
        ...(signal === undefined ? {} : { signal }),
      });
    } catch (error) {
      if (signal?.aborted === true) {
        throw error;
      }
      // The executor's timeout asks the same of the user (kill it, or wait longer): it passes through.
      if ((error as { code?: unknown }).code === 'ERR_WAIT_TIMEOUT') {
        throw error;
      }
      throw new ProcessError(
        'ERR_EXECUTOR',
        `waitForExit(): the exit of process ${handle.pid} could not be observed`,
        { cause: error },
      );
    }
  }

  /**
   * What the VMM's cgroups say now (memory, CPU time, processes, and their limits), from the
   * executor's `readResourceUsage`; `undefined` when it has none (`UnrestrictedExecutor`) or made
   * no cgroup (a jailer given no `--cgroup`). In any state: before start and after cleanup the
   * figures are absent. Bounded by `timeoutMs` (default 5 000 ms: `ERR_EXECUTOR`); the
   * executor's own error (`ERR_RESOURCE_USAGE`) passes through.
   */
  async readResourceUsage(
    options: ResourceUsageReadOptions = {},
  ): Promise<ResourceUsage | undefined> {
    const usage = await readResourceUsageOf(this.#executor, this.#context, options);
    return usage;
  }

  /**
   * Takes the process's stdin, to write to it (Firecracker reads the guest's serial console input
   * there); once only. Ending it closes the process's stdin; listen for its `error` event, since a
   * write after the process ended fails with `EPIPE`. Throws `ERR_STDIO_UNAVAILABLE` when stdin
   * is not piped, `ERR_STDIO_TAKEN` the second time.
   */
  takeStdin(): Writable {
    assertState(this.state, ['started', 'exited', 'crashed'], 'takeStdin()');
    const { stdin } = (this.#watched as WatchedProcess).handle;
    if (stdin === null) {
      throw new ProcessError(
        'ERR_STDIO_UNAVAILABLE',
        "takeStdin(): the process's stdin is not piped (a detached process, or a spawner told not to pipe it)",
      );
    }
    if (this.#stdinTaken) {
      throw new ProcessError(
        'ERR_STDIO_TAKEN',
        'takeStdin(): stdin was already taken; take it once',
      );
    }
    this.#stdinTaken = true;
    return stdin;
  }

  /**
   * The last lines the process wrote, stderr then stdout, each under its own heading (`[stderr]`);
   * empty when it wrote nothing or its output is not piped (a detached process). Once it has
   * ended this waits, briefly, for its pipes to deliver their last bytes. Firecracker writes its
   * own reason for failing (`Error: RunWithApi(…)`, a panic) on stderr: quote it in errors.
   * Needs `started`, `exited` or `crashed`.
   */
  async readOutputTail(): Promise<string> {
    assertState(this.state, ['started', 'exited', 'crashed'], 'readOutputTail()');
    const watched = this.#watched as WatchedProcess;
    if (watched.hasEnded) {
      await watched.settlePipes();
    }
    return watched.outputTail();
  }

  /**
   * Resolves true once the process has written `text` on stdout or stderr (output since its start
   * counts, as far as the last 8 KiB kept of each), false when neither is piped (a detached
   * process), both end first, or `timeoutMs` passes (default 5 000 ms); rejects with the signal's
   * reason on abort. Needs `started`, `exited` or `crashed`.
   */
  async waitForOutput(text: string, options: VmmProcessWaitOptions = {}): Promise<boolean> {
    assertState(this.state, ['started', 'exited', 'crashed'], 'waitForOutput()');
    if (typeof text !== 'string' || text === '') {
      failOption('text', 'a non-empty string', text);
    }
    const signal = resolveSignal('options.signal', options.signal);
    const timeoutMs = resolveTimeoutMs(
      'options.timeoutMs',
      options.timeoutMs,
      DEFAULT_OUTPUT_WAIT_MS,
    );
    signal?.throwIfAborted();
    const waitSignal = AbortSignal.any([
      AbortSignal.timeout(timerMs(timeoutMs)),
      ...(signal === undefined ? [] : [signal]),
    ]);
    const seen = await (this.#watched as WatchedProcess).waitForOutput(text, waitSignal);
    if (signal?.aborted === true) {
      throw signal.reason;
    }
    return seen;
  }

  /** Takes the process's stdout (output kept since start, then the rest); once only. */
  takeStdout(): Readable {
    return this.#take('stdout', 'takeStdout()');
  }

  /** Takes the process's stderr (output kept since start, then the rest); once only. */
  takeStderr(): Readable {
    return this.#take('stderr', 'takeStderr()');
  }

  /**
   * Tears everything down: waits for a call in progress, kills a running process, then cleans up.
   * Disposing twice is harmless; a failure is thrown, never hidden.
   */
  [Symbol.asyncDispose](): Promise<void> {
    this.#disposal ??= this.#dispose();
    return this.#disposal;
  }

  async #dispose(): Promise<void> {
    await Promise.allSettled([this.#busy?.done]);
    await this.#killAndWait();
    if (this.state !== 'awaiting-prepare' && !this.#cleanedUp) {
      await this.#cleanup();
    }
  }

  async #run<T>(call: string, allowed: readonly VmmProcessState[], work: () => Promise<T>) {
    if (this.#busy !== undefined) {
      throw new ProcessError(
        'ERR_WRONG_STATE',
        `${call} cannot run while ${this.#busy.call} is in progress: await it first`,
      );
    }
    if (this.#disposal !== undefined || this.#cleanedUp) {
      throw new ProcessError(
        'ERR_WRONG_STATE',
        `${call}: this VMM process was ${this.#disposal === undefined ? 'cleaned up' : 'disposed'}: create a new VmmProcess`,
      );
    }
    assertState(this.state, allowed, call);
    const done = work();
    this.#busy = { call, done };
    try {
      return await done;
    } finally {
      this.#busy = undefined;
    }
  }

  // Resolves once the state says the process ended, so `state` and `exit` agree with the answer.
  async #observeExit(watched: WatchedProcess): Promise<ProcessHandleExit> {
    let exit: ProcessHandleExit;
    try {
      exit = await watched.handle.exited;
    } catch (error) {
      await watched.ended;
      throw new ProcessError(
        'ERR_EXECUTOR',
        `exited: the exit of process ${watched.handle.pid} could not be observed`,
        { cause: error },
      );
    }
    await watched.ended;
    return exit;
  }

  async #killAndWait(): Promise<void> {
    const watched = this.#watched;
    if (watched === undefined || watched.hasEnded) {
      return;
    }
    const { handle } = watched;
    try {
      handle.kill('SIGKILL');
      await handle.wait({ timeoutMs: KILL_WAIT_MS });
    } catch (error) {
      throw new ProcessError(
        'ERR_KILL_FAILED',
        `Could not kill process ${handle.pid} and see it end within ${KILL_WAIT_MS} ms: does this user own it? reconcile() can remove it later`,
        { cause: error },
      );
    }
    await watched.ended;
  }

  async #cleanup(signal?: AbortSignal): Promise<void> {
    await this.#api?.destroy();
    try {
      await this.#executor.cleanup(this.#context, signal === undefined ? {} : { signal });
    } catch (error) {
      throw wrapExecutorError('cleanup()', error);
    }
    await this.#records.release();
    this.#cleanedUp = true;
  }

  #take(name: 'stdout' | 'stderr', call: string): Readable {
    assertState(this.state, ['started', 'exited', 'crashed'], call);
    return (this.#watched as WatchedProcess).take(name, call);
  }
}
