// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { FrameType } from '../protocol/frame-types.js';
import type { PullRequest, PushRequest, TransferResult } from '../protocol/messages.js';
import type { MuxStream, StreamHandler } from '../protocol/mux-stream.js';
import { ProtocolError } from '../protocol/protocol-error.js';
import { packTar } from '../tar/pack-tar.js';
import { replaceFromTar } from '../tar/replace-from-tar.js';
import { answerWithError, toProtocolError } from './agent-errors.js';
import { ChunkQueue } from './chunk-queue.js';
import { resolveGuestPath } from './guest-path.js';

const abandonedBy = (why: string): ProtocolError =>
  new ProtocolError('ERR_EXEC_CONNECTION_CLOSED', `The push was abandoned: ${why}`);

/**
 * push: the DATA bytes (a tar) are extracted beside the target and renamed over it when whole;
 * ERROR from the host or a closed connection removes what was written.
 */
export const runPush = (stream: MuxStream, request: PushRequest, root: string): StreamHandler => {
  const queue = new ChunkQueue((bytes) => stream.consumed(bytes));
  const transfer = async (): Promise<TransferResult> => {
    const target = await resolveGuestPath(root, request.path, 'keep');
    if (target === root) {
      throw new ProtocolError(
        'ERR_INVALID_INPUT',
        `push.path: ${JSON.stringify(request.path)} is the agent's root, which a push cannot replace: name a path below it`,
      );
    }
    return replaceFromTar(queue, target);
  };
  transfer().then(
    (summary) => {
      stream.sendJson(FrameType.RESULT, summary);
      stream.end();
      return summary;
    },
    (error: unknown) => {
      queue.fail(error instanceof Error ? error : new Error(String(error)));
      answerWithError(stream, toProtocolError(error, 'push to', request.path));
    },
  );
  return {
    onFrame: (frame) => {
      if (frame.type === FrameType.DATA) {
        queue.push(frame.payload);
      } else if (frame.type === FrameType.EOF) {
        queue.end();
      } else if (frame.type === FrameType.ERROR) {
        queue.fail(abandonedBy('the host cancelled it'));
        stream.end();
      }
    },
    onClose: () => queue.fail(abandonedBy('the connection closed')),
  };
};

/** pull: the path as a tar in DATA frames, EOF, then RESULT. ERROR from the host stops it. */
export const runPull = (stream: MuxStream, request: PullRequest, root: string): StreamHandler => {
  const transfer = async (): Promise<void> => {
    const source = await resolveGuestPath(root, request.path, 'follow');
    const summary = { entries: 0, bytes: 0 };
    for await (const chunk of packTar(source, summary)) {
      await stream.write(FrameType.DATA, chunk);
    }
    stream.sendEof(FrameType.DATA);
    const result: TransferResult = summary;
    stream.sendJson(FrameType.RESULT, result);
    stream.end();
  };
  transfer().catch((error: unknown) => {
    // A write refused because the stream ended (cancelled, connection gone) needs no answer.
    if (!stream.ended) {
      answerWithError(stream, toProtocolError(error, 'pull of', request.path));
    }
  });
  return {
    onFrame: (frame) => {
      if (frame.type === FrameType.ERROR) {
        stream.end();
      }
    },
    onClose: () => {},
  };
};
