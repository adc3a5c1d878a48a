// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import type { FastifyReply } from 'fastify';

/**
 * A signal that aborts when the caller goes away before the answer is sent, or when the server
 * stops (`stopping`): a VM call then stops where it is, and undoes what it did.
 */
export const signalOfRequest = (reply: FastifyReply, stopping: AbortSignal): AbortSignal => {
  const controller = new AbortController();
  reply.raw.once('close', () => {
    if (!reply.raw.writableFinished) {
      controller.abort(new Error('The caller closed the connection before the answer'));
    }
  });
  return AbortSignal.any([controller.signal, stopping]);
};
