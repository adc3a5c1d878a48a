// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { ProtocolError } from '../protocol/protocol-error.js';
import type { MuxStream } from '../protocol/mux-stream.js';
import { FrameType } from '../protocol/frame-types.js';

/**
 * A failure of a request as the ERROR the host receives: a protocol error as it is; a missing
 * path as ERR_EXEC_NOT_FOUND; any other errno as ERR_EXEC_FILE_OPERATION naming the guest path
 * (never the agent's host path, which in the fake is a private folder).
 */
export const toProtocolError = (error: unknown, what: string, guestPath: string): ProtocolError => {
  if (error instanceof ProtocolError) {
    return error;
  }
  const errno = (error as NodeJS.ErrnoException | undefined)?.code;
  if (errno === 'ENOENT') {
    return new ProtocolError(
      'ERR_EXEC_NOT_FOUND',
      `${what} ${JSON.stringify(guestPath)}: no such file or folder`,
      { cause: error },
    );
  }
  const reason = errno ?? (error instanceof Error ? error.message : String(error));
  const hint =
    errno === 'EACCES' || errno === 'EPERM'
      ? 'the agent lacks the permission'
      : errno === 'ENOTEMPTY'
        ? 'the folder is not empty: remove it with recursive'
        : errno === 'EEXIST'
          ? 'it exists already'
          : errno === 'ENOTDIR'
            ? 'a component is not a folder'
            : errno === 'EISDIR'
              ? 'it is a folder'
              : 'see the cause';
  return new ProtocolError(
    'ERR_EXEC_FILE_OPERATION',
    `${what} ${JSON.stringify(guestPath)} failed (${reason}): ${hint}`,
    { cause: error },
  );
};

/** Answers a request with ERROR and ends its stream. */
export const answerWithError = (stream: MuxStream, error: ProtocolError): void => {
  stream.sendJson(FrameType.ERROR, { code: error.code, message: error.message });
  stream.end();
};
