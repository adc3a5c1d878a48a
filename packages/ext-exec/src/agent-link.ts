// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import type { MuxStream, OpenRequest, StreamHandler } from '@kindling/exec-agent/protocol';

/** What one call needs of its session: a new stream to the agent, and words for its failures. */
export interface AgentLink {
  /**
   * Opens a stream on the session's connection (a new connection when the last one closed) and
   * sends its OPEN frame. Rejects with the connection's failure, or the signal's reason.
   */
  openStream(
    request: OpenRequest,
    handler: StreamHandler,
    signal?: AbortSignal,
  ): Promise<MuxStream>;
  /** The error a call reports when its stream closed with its connection (never rejects). */
  explainClose(error: Error, call: string): Promise<Error>;
}
