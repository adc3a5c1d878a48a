// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import type { Readable } from 'node:stream';
import type { Frame } from '../protocol/frame-codec.js';
import { FrameType, type DataFrameType } from '../protocol/frame-types.js';
import type { ExecRequest, ExitMessage } from '../protocol/messages.js';
import type { MuxStream, StreamHandler } from '../protocol/mux-stream.js';
import { parseJsonPayload, parseSignal, parseWindowSize } from '../protocol/parse-messages.js';
import { answerWithError, toProtocolError } from './agent-errors.js';
import { startCommand, type CommandProcess } from './command-process.js';
import { resolveGuestPath } from './guest-path.js';
import { resizeTerminal, type ScriptFlavour } from './pty.js';

/** What an exec needs of its agent. */
export interface ExecContext {
  readonly root: string;
  /** The system's `script`, looked up on the first PTY request. */
  readonly scriptFlavour: () => Promise<ScriptFlavour | undefined>;
  /** Told when the command's process group starts and when the exec is over. */
  readonly trackProcessGroup: (pgid: number, state: 'started' | 'ended') => void;
}

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
  let command: CommandProcess | undefined;
  let abandoned = false;
  const early: Frame[] = [];

  const onFrame = (frame: Frame): void => {
    if (command === undefined) {
      early.push(frame);
      return;
    }
    const running = command.child;
    const signalGroup = (name: string): void => command?.signal(name);
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
        // An unknown name does nothing: the host checks names before it sends them.
        signalGroup(parseSignal(parseJsonPayload(frame.payload, 'SIGNAL')).signal);
        break;
      }
      case FrameType.RESIZE:
        if (request.pty !== undefined && running.pid !== undefined) {
          const size = parseWindowSize(parseJsonPayload(frame.payload, 'RESIZE'), 'resize');
          void resizeTerminal(running.pid, size).catch(() => {});
        }
        break;
      case FrameType.ERROR:
        abandoned = true;
        signalGroup('SIGKILL');
        stream.end();
        break;
      // Nothing else is for an exec's stream from the host; the agent ignores it.
      case FrameType.HELLO:
      case FrameType.OPEN:
      case FrameType.STDOUT:
      case FrameType.STDERR:
      case FrameType.EXIT:
      case FrameType.RESULT:
      case FrameType.WINDOW:
        break;
    }
  };

  const start = async (): Promise<void> => {
    const cwd = await resolveGuestPath(context.root, request.cwd ?? '/', 'follow');
    const started = await startCommand(request, cwd, context.scriptFlavour);
    const { child: spawned, exited } = started;
    command = started;
    const pgid = spawned.pid ?? 0;
    context.trackProcessGroup(pgid, 'started');
    if (abandoned || stream.ended) {
      started.signal('SIGKILL');
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
            started.signal('SIGKILL');
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
        started.signal('SIGKILL');
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
      started.release();
      context.trackProcessGroup(pgid, 'ended');
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
        command?.signal('SIGKILL');
        answerWithError(stream, failure);
      }
    },
    onClose: () => {
      abandoned = true;
      command?.signal('SIGKILL');
    },
  };
};
