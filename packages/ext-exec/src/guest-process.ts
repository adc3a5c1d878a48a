// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { addAbortListener } from 'node:events';
import { Readable, Writable } from 'node:stream';
import {
  FrameType,
  parseExit,
  parseJsonPayload,
  type ExecRequest,
  type Frame,
  type MuxStream,
} from '@kindling/exec-agent/protocol';
import type { AgentLink } from './agent-link.js';
import { describeCall, errorFromFrame } from './call-failure.js';
import { ExecError, parseInput } from './errors.js';
import {
  DEFAULT_PTY_SIZE,
  ptySizeSchema,
  resolveSpawnOptions,
  signalNameSchema,
  type ResolvedSpawnInGuestOptions,
  type SpawnInGuestOptions,
} from './exec-options.js';

/** How a command in the guest ended: exactly one of `exitCode` and `signal` is set. */
export interface GuestExit {
  readonly exitCode: number | null;
  readonly signal: NodeJS.Signals | null;
}

/** A PTY's window size, in character cells. */
export interface PtySize {
  readonly cols: number;
  readonly rows: number;
}

// Nothing to do: a failure already reported elsewhere (see where it is used).
const ignore = (): void => {};

// Tells the agent to drop an exec (it kills the command with SIGKILL), and forgets the stream.
const abandon = (stream: MuxStream): void => {
  stream.sendJson(FrameType.ERROR, {
    code: 'ERR_EXEC_CONNECTION_CLOSED',
    message: 'The host abandoned the command',
  });
  stream.end();
};

// Runs an async step of a stream's write or final, then calls back with its error, if any.
const finishStep = async (
  step: Promise<void>,
  callback: (error?: Error | null) => void,
): Promise<void> => {
  let failure: Error | null = null;
  try {
    await step;
  } catch (error) {
    failure = error as Error;
  }
  callback(failure);
};

// Received bytes not yet read by their consumer, credited back as they are read, so a reader that
// stops holds at most one window (256 KiB) per channel in memory.
class ChannelReadable extends Readable {
  readonly #credit: (bytes: number) => void;
  #pushed = 0;
  #credited = 0;

  constructor(credit: (bytes: number) => void) {
    super({ highWaterMark: 64 * 1024 });
    this.#credit = credit;
  }

  deliver(bytes: Buffer): void {
    this.#pushed += bytes.byteLength;
    this.push(bytes);
    this.#grant();
  }

  override _read(): void {
    // Node calls _read before it takes the bytes read out of the buffer: count them after.
    process.nextTick(() => this.#grant());
  }

  #grant(): void {
    const consumed = this.#pushed - this.readableLength - this.#credited;
    if (consumed > 0) {
      this.#credited += consumed;
      this.#credit(consumed);
    }
  }
}

const buildRequest = (
  argv: readonly string[],
  options: ResolvedSpawnInGuestOptions,
): ExecRequest => {
  const pty =
    options.pty === true ? DEFAULT_PTY_SIZE : options.pty === false ? undefined : options.pty;
  return {
    op: 'exec',
    argv,
    ...(options.env === undefined ? {} : { env: options.env }),
    ...(options.cwd === undefined ? {} : { cwd: options.cwd }),
    ...(options.uid === undefined ? {} : { uid: options.uid }),
    ...(options.gid === undefined ? {} : { gid: options.gid }),
    ...(pty === undefined ? {} : { pty }),
    // The agent enforces the bound too, so a command cannot outlive a host that went away.
    ...(options.timeoutMs === undefined ||
    !Number.isFinite(options.timeoutMs) ||
    options.killSignal !== 'SIGKILL'
      ? {}
      : { timeoutMs: options.timeoutMs }),
  };
};

/**
 * A command running in the guest, with Node streams: `stdin` (Writable), `stdout` and `stderr`
 * (Readable; with a PTY both go to `stdout`), `exited` (how it ended), `kill()` and `resize()`.
 * Output is flow-controlled end to end: a consumer that stops reading stops the command's writes
 * once a window (256 KiB) is in flight, as a pipe would.
 */
export class GuestProcess implements AsyncDisposable {
  /** The command's standard input; ending it closes the command's stdin. */
  readonly stdin: Writable;
  /** The command's standard output (with a PTY: the terminal's output). */
  readonly stdout: Readable;
  /** The command's standard error (with a PTY: empty). */
  readonly stderr: Readable;
  /**
   * Resolves with how the command ended. Rejects with `ERR_EXEC_TIMEOUT` after `timeoutMs` (the
   * command was killed), the signal's reason on abort (killed too), the agent's error when the
   * command could not start (`ERR_EXEC_SPAWN`, `ERR_EXEC_PTY_UNAVAILABLE`, …), or
   * `ERR_VM_ENDED` / `ERR_EXEC_CONNECTION_CLOSED` when the connection went first.
   */
  readonly exited: Promise<GuestExit>;
  /** The command as given (after `shell` made it `/bin/sh -c …`). */
  readonly argv: readonly string[];

  readonly #options: ResolvedSpawnInGuestOptions;
  readonly #call: string;
  readonly #settle: PromiseWithResolvers<GuestExit>;
  #stream: MuxStream | undefined;
  #exit: GuestExit | undefined;
  #failure: Error | undefined;
  #timedOut = false;
  readonly #cleanups: Array<() => void> = [];
  readonly #pendingSignals: string[] = [];

  /** @internal Made by `spawnInGuest(vm, argv, options)` or `session.spawn(argv, options)`. */
  constructor(link: AgentLink, argv: readonly string[], options?: SpawnInGuestOptions) {
    const resolved = resolveSpawnOptions(argv, options);
    this.argv = resolved.argv;
    this.#options = resolved.options;
    this.#call = describeCall('exec', this.argv);
    this.#settle = Promise.withResolvers<GuestExit>();
    this.exited = this.#settle.promise;
    // A caller that reads only the streams still sees failures there; never an unhandled rejection.
    this.exited.catch(ignore);
    this.stdout = new ChannelReadable((bytes) => this.#stream?.consumed(bytes));
    this.stderr = new ChannelReadable((bytes) => this.#stream?.consumed(bytes));
    this.stdin = new Writable({
      highWaterMark: 64 * 1024,
      write: (chunk: Buffer, _encoding, callback) => {
        void finishStep(this.#writeStdin(chunk), callback);
      },
      final: (callback) => {
        void finishStep(
          this.#whenOpen(() => this.#stream?.sendEof(FrameType.DATA)),
          callback,
        );
      },
    });
    // Input the command no longer reads is dropped, as by a pipe whose reader left.
    this.stdin.on('error', ignore);
    this.#armBounds();
    this.#opened = link
      .openStream(
        buildRequest(this.argv, this.#options),
        {
          onFrame: (frame) => this.#onFrame(frame),
          onClose: (reason) => {
            void link.explainClose(reason, this.#call).then((explained) => {
              this.#fail(explained);
              return explained;
            });
          },
        },
        this.#options.signal,
      )
      .then(
        (stream) => {
          if (this.ended) {
            // Aborted while connecting: the command must not run on.
            abandon(stream);
            return null;
          }
          this.#stream = stream;
          for (const signal of this.#pendingSignals.splice(0)) {
            stream.sendJson(FrameType.SIGNAL, { signal });
          }
          return stream;
        },
        (error: unknown) => {
          this.#fail(error as Error);
          return null;
        },
      );
  }

  // The stream once open; null when it never opened, or opened after an abort.
  readonly #opened: Promise<MuxStream | null>;

  /** Whether the command has ended (or failed to start). */
  get ended(): boolean {
    return this.#exit !== undefined || this.#failure !== undefined;
  }

  /**
   * Sends `signal` (default SIGTERM) to the command; `false` when it has already ended.
   * A bad signal name throws `ERR_INVALID_INPUT`.
   */
  kill(signal: NodeJS.Signals = 'SIGTERM'): boolean {
    const name = parseInput(signalNameSchema, signal, 'signal');
    if (this.ended) {
      return false;
    }
    if (this.#stream === undefined) {
      this.#pendingSignals.push(name);
    } else {
      this.#stream.sendJson(FrameType.SIGNAL, { signal: name });
    }
    return true;
  }

  /** Changes the PTY's window size (`ERR_WRONG_STATE` without a PTY; ignored once ended). */
  resize(size: PtySize): void {
    const checked = parseInput(ptySizeSchema, size, 'size');
    if (this.#options.pty === false) {
      throw new ExecError(
        'ERR_WRONG_STATE',
        `${this.#call}: resize needs a PTY: start the command with options.pty`,
      );
    }
    void this.#whenOpen(() => this.#stream?.sendJson(FrameType.RESIZE, checked));
  }

  /** Kills the command (SIGKILL) if it still runs, and waits for its end. */
  async [Symbol.asyncDispose](): Promise<void> {
    this.kill('SIGKILL');
    await this.exited.catch(ignore);
  }

  async #whenOpen(action: () => void): Promise<void> {
    const stream = await this.#opened;
    if (stream !== null && !this.ended) {
      action();
    }
  }

  async #writeStdin(chunk: Buffer): Promise<void> {
    const stream = await this.#opened;
    if (stream === null || this.ended) {
      return;
    }
    // The command may have closed its stdin meanwhile: the bytes go nowhere, as with a pipe.
    await stream.write(FrameType.DATA, chunk).catch(ignore);
  }

  #armBounds(): void {
    const { timeoutMs, signal, killSignal } = this.#options;
    if (timeoutMs !== undefined && Number.isFinite(timeoutMs)) {
      const timer = setTimeout(() => {
        this.#timedOut = true;
        this.kill(killSignal);
      }, timeoutMs);
      this.#cleanups.push(() => clearTimeout(timer));
    }
    if (signal !== undefined) {
      const abort = (): void => {
        // Abandoned: the agent kills the command (SIGKILL); the caller does not wait for its exit.
        if (this.#stream !== undefined && !this.ended) {
          abandon(this.#stream);
        }
        this.#fail(signal.reason as Error);
      };
      if (signal.aborted) {
        queueMicrotask(abort);
      } else {
        const listener = addAbortListener(signal, abort);
        this.#cleanups.push(() => listener[Symbol.dispose]());
      }
    }
  }

  // OPEN, DATA, SIGNAL, RESIZE and RESULT do not come to a host's exec stream; WINDOW stays in
  // the multiplexer.
  #onFrame(frame: Frame): void {
    if (frame.type === FrameType.STDOUT) {
      (this.stdout as ChannelReadable).deliver(frame.payload);
    } else if (frame.type === FrameType.STDERR) {
      (this.stderr as ChannelReadable).deliver(frame.payload);
    } else if (frame.type === FrameType.EOF) {
      this.#endChannel(frame.payload[0]);
    } else if (frame.type === FrameType.EXIT) {
      this.#onExit(frame.payload);
    } else if (frame.type === FrameType.ERROR) {
      this.#fail(errorFromFrame(frame.payload, this.#call));
    }
  }

  #endChannel(channel: number | undefined): void {
    if (channel === FrameType.STDOUT) {
      this.stdout.push(null);
    } else if (channel === FrameType.STDERR) {
      this.stderr.push(null);
    } else if (channel === FrameType.DATA) {
      // The command closed its stdin: what is still written goes nowhere.
      this.stdin.destroy();
    }
  }

  #onExit(payload: Buffer): void {
    const message = parseExit(parseJsonPayload(payload, 'EXIT'));
    const exit: GuestExit = {
      exitCode: message.exitCode,
      signal: message.signal as NodeJS.Signals | null,
    };
    if (message.timedOut || this.#timedOut) {
      this.#fail(
        new ExecError(
          'ERR_EXEC_TIMEOUT',
          `${this.#call} ran longer than options.timeoutMs (${this.#options.timeoutMs} ms) and was killed with ${this.#options.killSignal}: raise timeoutMs, or make the command finish sooner`,
        ),
      );
      return;
    }
    this.#finish();
    this.#exit = exit;
    this.#settle.resolve(exit);
  }

  #fail(error: Error): void {
    if (this.ended) {
      return;
    }
    this.#failure = error;
    this.#finish();
    this.#settle.reject(error);
  }

  #finish(): void {
    for (const cleanup of this.#cleanups.splice(0)) {
      cleanup();
    }
    // Output already received stays readable; the channels end here if the agent did not say so.
    for (const channel of [this.stdout, this.stderr]) {
      if (!channel.readableEnded && !channel.destroyed) {
        channel.push(null);
      }
    }
    if (!this.stdin.destroyed) {
      this.stdin.destroy();
    }
    this.#stream?.end();
  }
}
