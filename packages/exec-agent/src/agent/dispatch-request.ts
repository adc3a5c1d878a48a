// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { FrameType } from '../protocol/frame-types.js';
import type { OpenRequest } from '../protocol/messages.js';
import type { MuxStream, StreamHandler } from '../protocol/mux-stream.js';
import { parseJsonPayload, parseOpenRequest } from '../protocol/parse-messages.js';
import { answerWithError, toProtocolError } from './agent-errors.js';
import { listFolder, makeFolder, removePath, statPath } from './file-operations.js';
import { runExec, type ExecContext } from './run-exec.js';
import { runPull, runPush } from './transfer.js';

const NO_FRAMES: StreamHandler = { onFrame: () => {}, onClose: () => {} };

// A file operation answered by one RESULT.
const answer = (
  stream: MuxStream,
  work: Promise<unknown>,
  what: string,
  guestPath: string,
): StreamHandler => {
  work.then(
    (result) => {
      stream.sendJson(FrameType.RESULT, result);
      stream.end();
      return result;
    },
    (error: unknown) => answerWithError(stream, toProtocolError(error, what, guestPath)),
  );
  return NO_FRAMES;
};

const dispatch = (stream: MuxStream, request: OpenRequest, context: ExecContext): StreamHandler => {
  const { root } = context;
  switch (request.op) {
    case 'exec':
      return runExec(stream, request, context);
    case 'push':
      return runPush(stream, request, root);
    case 'pull':
      return runPull(stream, request, root);
    case 'stat':
      return answer(stream, statPath(root, request.path), 'stat of', request.path);
    case 'list':
      return answer(stream, listFolder(root, request.path), 'list of', request.path);
    case 'remove':
      return answer(stream, removePath(root, request), 'remove of', request.path);
    case 'mkdir':
      return answer(stream, makeFolder(root, request), 'mkdir of', request.path);
    default:
      return NO_FRAMES;
  }
};

/**
 * Serves the request an OPEN frame carries on its new stream; a request that does not parse is
 * answered with ERROR (`ERR_INVALID_INPUT` naming the field) at once.
 */
export const dispatchRequest = (
  stream: MuxStream,
  payload: Buffer,
  context: ExecContext,
): StreamHandler => {
  let request: OpenRequest;
  try {
    request = parseOpenRequest(parseJsonPayload(payload, 'OPEN'));
  } catch (error) {
    answerWithError(stream, toProtocolError(error, 'open', ''));
    return NO_FRAMES;
  }
  return dispatch(stream, request, context);
};
