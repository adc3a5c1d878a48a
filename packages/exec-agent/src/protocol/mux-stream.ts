// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { INITIAL_WINDOW_BYTES, MAX_DATA_CHUNK_BYTES } from './constants.js';
import type { Frame } from './frame-codec.js';
import { FrameType, frameTypeName, type DataFrameType } from './frame-types.js';
import { ProtocolError } from './protocol-error.js';

/** What a stream's owner does with what arrives on it. */
export interface StreamHandler {
  /** A frame for this stream; WINDOW frames are the multiplexer's own and never arrive here. */
  onFrame(frame: Frame): void;
  /** The stream is gone because its connection closed (`ERR_EXEC_CONNECTION_CLOSED`, or why). */
  onClose(error: Error): void;
}

/** What a stream needs of its connection. */
export interface StreamLink {
  /** Sends one frame; resolves at once, or when the socket has drained if it was full. */
  send(type: FrameType, streamId: number, payload?: Uint8Array): Promise<void>;
  /** The stream ended locally: forget it. */
  release(streamId: number): void;
  /** A peer broke the protocol on this stream: fail the connection. */
  fail(error: ProtocolError): void;
}

// Grant credit back once a quarter of the window is consumed: few WINDOW frames, no stall.
const GRANT_THRESHOLD_BYTES = INITIAL_WINDOW_BYTES / 4;

/**
 * One stream of a multiplexed connection. Bytes sent with `write` wait for the peer's credit;
 * bytes received are credited back as their consumer reports them `consumed`.
 */
export class MuxStream {
  /** The stream id: odd, chosen by the host. */
  readonly id: number;
  #link: StreamLink;
  #handler: StreamHandler;
  #sendCredit = INITIAL_WINDOW_BYTES;
  #receiveCredit = INITIAL_WINDOW_BYTES;
  #toGrant = 0;
  #creditWaiters: Array<() => void> = [];
  #endedBy: Error | undefined;

  constructor(id: number, link: StreamLink, handler: StreamHandler) {
    this.id = id;
    this.#link = link;
    this.#handler = handler;
  }

  /** Whether the stream has ended (locally, or with its connection). */
  get ended(): boolean {
    return this.#endedBy !== undefined;
  }

  /** Sends a frame that is not flow-controlled (OPEN, EOF, SIGNAL, RESIZE, EXIT, RESULT, ERROR). */
  send(type: FrameType, payload?: Uint8Array): void {
    if (this.#endedBy === undefined) {
      void this.#link.send(type, this.id, payload);
    }
  }

  /** Sends a frame with a JSON payload. */
  sendJson(type: FrameType, value: unknown): void {
    this.send(type, Buffer.from(JSON.stringify(value), 'utf8'));
  }

  /** Sends EOF for one channel (DATA, STDOUT or STDERR). */
  sendEof(channel: DataFrameType): void {
    this.send(FrameType.EOF, Uint8Array.of(channel));
  }

  /**
   * Sends bytes on a channel in frames of at most 64 KiB, each waiting for the peer's credit;
   * resolves when all are handed to the socket, rejects if the stream ends first.
   */
  async write(type: DataFrameType, bytes: Uint8Array): Promise<void> {
    let offset = 0;
    while (offset < bytes.byteLength) {
      while (this.#sendCredit === 0) {
        this.#throwIfEnded();
        await new Promise<void>((resolve) => {
          this.#creditWaiters.push(resolve);
        });
      }
      this.#throwIfEnded();
      const size = Math.min(this.#sendCredit, MAX_DATA_CHUNK_BYTES, bytes.byteLength - offset);
      this.#sendCredit -= size;
      const sent = this.#link.send(type, this.id, bytes.subarray(offset, offset + size));
      offset += size;
      await sent;
    }
    this.#throwIfEnded();
  }

  /** Reports received bytes as consumed, so the peer may send that many more. */
  consumed(bytes: number): void {
    if (this.#endedBy !== undefined || bytes <= 0) {
      return;
    }
    this.#toGrant += bytes;
    if (this.#toGrant >= GRANT_THRESHOLD_BYTES) {
      const grant = Buffer.allocUnsafe(4);
      grant.writeUInt32BE(this.#toGrant, 0);
      this.#receiveCredit += this.#toGrant;
      this.#toGrant = 0;
      void this.#link.send(FrameType.WINDOW, this.id, grant);
    }
  }

  /** Ends the stream here: no more frames arrive, pending writes reject. Harmless twice. */
  end(): void {
    this.#finish(new ProtocolError('ERR_EXEC_CONNECTION_CLOSED', `Stream ${this.id} has ended`));
    this.#link.release(this.id);
  }

  /** @internal The connection delivers a frame of this stream. */
  deliver(frame: Frame): void {
    if (this.#endedBy !== undefined) {
      return;
    }
    if (frame.type === FrameType.WINDOW) {
      if (frame.payload.byteLength !== 4) {
        this.#link.fail(
          new ProtocolError(
            'ERR_EXEC_PROTOCOL',
            `A WINDOW frame on stream ${this.id} has ${frame.payload.byteLength} payload bytes, not 4`,
          ),
        );
        return;
      }
      this.#sendCredit += frame.payload.readUInt32BE(0);
      for (const wake of this.#creditWaiters.splice(0)) {
        wake();
      }
      return;
    }
    if (
      frame.type === FrameType.DATA ||
      frame.type === FrameType.STDOUT ||
      frame.type === FrameType.STDERR
    ) {
      this.#receiveCredit -= frame.payload.byteLength;
      if (this.#receiveCredit < 0) {
        this.#link.fail(
          new ProtocolError(
            'ERR_EXEC_PROTOCOL',
            `The peer sent ${-this.#receiveCredit} ${frameTypeName(frame.type)} bytes on stream ${this.id} beyond the credit it was given`,
          ),
        );
        return;
      }
    }
    this.#handler.onFrame(frame);
  }

  /** @internal The connection closed. */
  close(error: Error): void {
    if (this.#endedBy === undefined) {
      this.#finish(error);
      this.#handler.onClose(error);
    }
  }

  #finish(error: Error): void {
    if (this.#endedBy === undefined) {
      this.#endedBy = error;
      for (const wake of this.#creditWaiters.splice(0)) {
        wake();
      }
    }
  }

  #throwIfEnded(): void {
    if (this.#endedBy !== undefined) {
      throw this.#endedBy;
    }
  }
}
