// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { constants } from 'node:os';
import type { Readable } from 'node:stream';
import type { Frame } from '../protocol/frame-codec.js';
import { FrameType, type DataFrameType } from '../protocol/frame-types.js';
import type { ExecRequest, ExitMessage, WindowSize } from '../protocol/messages.js';
import type { MuxStream, StreamHandler } from '../protocol/mux-stream.js';
import { parseJsonPayload, parseSignal, parseWindowSize } from '../protocol/parse-messages.js';
import { ProtocolError } from '../protocol/protocol-error.js';
import { answerWithError, toProtocolError } from './agent-errors.js';
import { resolveGuestPath } from './guest-path.js';
import { ptyArgv, resizeTerminal, type ScriptFlavour } from './pty.js';

/** What an exec needs of its agent. */
export interface ExecContext {
  readonly root: string;
  /** The system's `script`, looked up on the first PTY request. */
  readonly scriptFlavour: () => Promise<ScriptFlavour | undefined>;
  /** Told when the command's process group starts and ends. */
  readonly trackProcessGroup: (pgid: number, state: 'started' | 'ended') => void;
}

// Signals go to the command's process group (it leads one), so a shell's children get them too.
const signalGroup = (child: ChildProcess, signal: NodeJS.Signals): void => {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) {
    return;
  }
  try {
    process.kill(-child.pid, signal);
  } catch {
    child.kill(signal);
  }
};

const spawnFailure = (error: unknown, argv: readonly string[]): ProtocolError => {
  const errno = (error as NodeJS.ErrnoException).code;
  const hint =
    errno === 'ENOENT'
      ? 'no such command in PATH, or the cwd does not exist'
      : errno === 'EACCES'
        ? 'it is not executable'
        : errno === 'EPERM'
          ? 'the agent may not switch to that uid/gid'
          : (errno ?? String(error));
  return new ProtocolError(
    'ERR_EXEC_SPAWN',
    `Could not start ${JSON.stringify(argv[0])}: ${hint}`,
    { cause: error },
  );
};

/**
 * Runs one exec request on its stream: stdin from DATA, stdout and stderr out as STDOUT and
 * STDERR (each ended by EOF), then EXIT. SIGNAL and RESIZE act on the running command; ERROR
 * from the host, or the connection closing, kills it.
 */
export const runExec = (
  stream: MuxStream,
  request: ExecRequest,
  context: ExecContext,
): StreamHandler => {
  let child: ChildProcess | undefined;
  let abandoned = false;
  const early: Frame[] = [];

  const onFrame = (frame: Frame): void => {
    if (child === undefined) {
      early.push(frame);
      return;
    }
    const running = child;
    switch (frame.type) {
      case FrameType.DATA: {
        const size = frame.payload.byteLength;
        if (running.stdin?.writable === true) {
          running.stdin.write(frame.payload, () => stream.consumed(size));
        } else {
          stream.consumed(size);
        }
        break;
      }
      case FrameType.EOF:
        running.stdin?.end();
        break;
      case FrameType.SIGNAL: {
        const { signal } = parseSignal(parseJsonPayload(frame.payload, 'SIGNAL'));
        // An unknown name does nothing: the host checks names before it sends them.
        if (signal in constants.signals) {
          signalGroup(running, signal as NodeJS.Signals);
        }
        break;
      }
      case FrameType.RESIZE:
        if (request.pty !== undefined && running.pid !== undefined) {
          const size: WindowSize = parseWindowSize(
            parseJsonPayload(frame.payload, 'RESIZE'),
            'resize',
          );
          void resizeTerminal(running.pid, size).catch(() => undefined);
        }
        break;
      case FrameType.ERROR:
        abandoned = true;
        signalGroup(running, 'SIGKILL');
        stream.end();
        break;
      default:
        break;
    }
  };

  const start = async (): Promise<void> => {
    const cwd = await resolveGuestPath(context.root, request.cwd ?? '/', 'follow');
    const argv =
      request.pty === undefined
        ? [...request.argv]
        : ptyArgv(await context.scriptFlavour(), request.argv, request.pty);
    const spawned = spawn(argv[0] ?? '', argv.slice(1), {
      cwd,
      env: {
        ...process.env,
        ...(request.pty === undefined
          ? {}
          : { SHELL: '/bin/sh', TERM: process.env['TERM'] ?? 'xterm' }),
        ...request.env,
      },
      stdio: ['pipe', 'pipe', 'pipe'],
      detached: true,
      ...(request.uid === undefined ? {} : { uid: request.uid }),
      ...(request.gid === undefined ? {} : { gid: request.gid }),
    });
    // A child that exits before reading stdin makes writes fail with EPIPE: that is its choice.
    spawned.stdin?.on('error', () => undefined);
    const exited = once(spawned, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
    // A spawn failure rejects this too; it is reported through 'spawn' below.
    exited.catch(() => undefined);
    try {
      await once(spawned, 'spawn');
    } catch (error) {
      throw spawnFailure(error, request.argv);
    }
    child = spawned;
    const pgid = spawned.pid ?? 0;
    context.trackProcessGroup(pgid, 'started');
    void exited.then(
      () => context.trackProcessGroup(pgid, 'ended'),
      () => undefined,
    );
    if (abandoned || stream.ended) {
      signalGroup(spawned, 'SIGKILL');
    }
    for (const frame of early.splice(0)) {
      onFrame(frame);
    }
    let timedOut = false;
    const timer =
      request.timeoutMs === undefined
        ? undefined
        : setTimeout(() => {
            timedOut = true;
            signalGroup(spawned, 'SIGKILL');
          }, request.timeoutMs);
    const pump = async (readable: Readable | null, type: DataFrameType): Promise<void> => {
      if (readable === null) {
        return;
      }
      try {
        for await (const chunk of readable) {
          await stream.write(type, chunk as Buffer);
        }
        stream.sendEof(type);
      } catch {
        // The stream ended (host gone): stop reading and make sure the command goes too.
        readable.destroy();
        signalGroup(spawned, 'SIGKILL');
      }
    };
    try {
      const [[exitCode, signal]] = await Promise.all([
        exited,
        pump(spawned.stdout, FrameType.STDOUT),
        pump(spawned.stderr, FrameType.STDERR),
      ]);
      const exit: ExitMessage = { exitCode, signal, timedOut };
      stream.sendJson(FrameType.EXIT, exit);
      stream.end();
    } finally {
      clearTimeout(timer);
    }
  };

  start().catch((error: unknown) =>
    answerWithError(stream, toProtocolError(error, 'exec cwd', request.cwd ?? '/')),
  );
  return {
    onFrame: (frame) => {
      try {
        onFrame(frame);
      } catch (error) {
        const failure = toProtocolError(error, 'exec', '');
        if (child !== undefined) {
          signalGroup(child, 'SIGKILL');
        }
        answerWithError(stream, failure);
      }
    },
    onClose: () => {
      abandoned = true;
      if (child !== undefined) {
        signalGroup(child, 'SIGKILL');
      }
    },
  };
};
