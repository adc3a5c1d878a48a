// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { FRAME_HEADER_BYTES, MAX_FRAME_BYTES } from './constants.js';
import { frameTypeName, isFrameType, type FrameType } from './frame-types.js';
import { ProtocolError } from './protocol-error.js';

/** One decoded frame: its type, its stream and its payload (a view into the received bytes). */
export interface Frame {
  readonly type: FrameType;
  readonly streamId: number;
  readonly payload: Buffer;
}

// The length field counts the type byte, the stream id and the payload.
const LENGTH_FIELD_BYTES = 4;
const MAX_STREAM_ID = 0xff_ff_ff_ff;

/** One frame as bytes: u32 BE length of the rest, u8 type, u32 BE stream id, payload. */
export const encodeFrame = (
  type: FrameType,
  streamId: number,
  payload: Uint8Array = new Uint8Array(0),
): Buffer => {
  if (!Number.isInteger(streamId) || streamId < 0 || streamId > MAX_STREAM_ID) {
    throw new ProtocolError(
      'ERR_EXEC_PROTOCOL',
      `A stream id is a u32, got ${streamId}: open fewer streams on one connection`,
    );
  }
  const total = FRAME_HEADER_BYTES + payload.byteLength;
  if (total > MAX_FRAME_BYTES) {
    throw new ProtocolError(
      'ERR_EXEC_PROTOCOL',
      `A ${frameTypeName(type)} frame of ${total} bytes exceeds the ${MAX_FRAME_BYTES}-byte limit: split the payload`,
    );
  }
  const frame = Buffer.allocUnsafe(total);
  frame.writeUInt32BE(total - LENGTH_FIELD_BYTES, 0);
  frame.writeUInt8(type, 4);
  frame.writeUInt32BE(streamId, 5);
  frame.set(payload, FRAME_HEADER_BYTES);
  return frame;
};

/**
 * A frame's header alone (length, type, stream id) for a payload of `payloadBytes`, to write
 * before the payload itself: bulk data then goes to the socket without being copied.
 */
export const encodeFrameHeader = (
  type: FrameType,
  streamId: number,
  payloadBytes: number,
): Buffer => {
  const header = encodeFrame(type, streamId);
  if (FRAME_HEADER_BYTES + payloadBytes > MAX_FRAME_BYTES) {
    throw new ProtocolError(
      'ERR_EXEC_PROTOCOL',
      `A ${frameTypeName(type)} frame of ${FRAME_HEADER_BYTES + payloadBytes} bytes exceeds the ${MAX_FRAME_BYTES}-byte limit: split the payload`,
    );
  }
  header.writeUInt32BE(FRAME_HEADER_BYTES - LENGTH_FIELD_BYTES + payloadBytes, 0);
  return header;
};

/** A frame whose payload is JSON (UTF-8). */
export const encodeJsonFrame = (type: FrameType, streamId: number, value: unknown): Buffer =>
  encodeFrame(type, streamId, Buffer.from(JSON.stringify(value), 'utf8'));

/**
 * Splits a byte stream into frames, whatever the chunking; a frame's payload is a view of the
 * received chunk when the frame lies in one, so bulk data is not copied.
 */
export class FrameDecoder {
  #pending: Buffer[] = [];
  #pendingBytes = 0;
  // Bytes the pending frame needs in all, so a large frame's chunks are joined once, not per chunk.
  #needed = LENGTH_FIELD_BYTES;

  /** Feeds received bytes; returns the frames they complete, in order. */
  push(chunk: Buffer): Frame[] {
    const frames: Frame[] = [];
    let buffer = chunk;
    if (this.#pendingBytes > 0) {
      this.#pending.push(chunk);
      this.#pendingBytes += chunk.byteLength;
      if (this.#pendingBytes < this.#needed) {
        return frames;
      }
      buffer = Buffer.concat(this.#pending, this.#pendingBytes);
      this.#pending = [];
      this.#pendingBytes = 0;
    }
    let offset = 0;
    while (buffer.byteLength - offset >= LENGTH_FIELD_BYTES) {
      const length = buffer.readUInt32BE(offset);
      if (
        length + LENGTH_FIELD_BYTES > MAX_FRAME_BYTES ||
        length < FRAME_HEADER_BYTES - LENGTH_FIELD_BYTES
      ) {
        throw new ProtocolError(
          'ERR_EXEC_PROTOCOL',
          `A frame announced ${length} bytes after its length field; a frame holds 5 to ${MAX_FRAME_BYTES - LENGTH_FIELD_BYTES}: is the peer a Kindling exec agent or host?`,
        );
      }
      if (buffer.byteLength - offset < LENGTH_FIELD_BYTES + length) {
        break;
      }
      const type = buffer.readUInt8(offset + 4);
      if (!isFrameType(type)) {
        throw new ProtocolError(
          'ERR_EXEC_PROTOCOL',
          `A frame has the unknown type ${type}: is the peer of the same protocol version?`,
        );
      }
      const streamId = buffer.readUInt32BE(offset + 5);
      const end = offset + LENGTH_FIELD_BYTES + length;
      frames.push({ type, streamId, payload: buffer.subarray(offset + FRAME_HEADER_BYTES, end) });
      offset = end;
    }
    if (offset < buffer.byteLength) {
      const rest = buffer.subarray(offset);
      this.#pending = [rest];
      this.#pendingBytes = rest.byteLength;
      this.#needed =
        rest.byteLength >= LENGTH_FIELD_BYTES
          ? LENGTH_FIELD_BYTES + rest.readUInt32BE(0)
          : LENGTH_FIELD_BYTES;
    }
    return frames;
  }

  /** Bytes received that do not yet make a whole frame. */
  get pendingBytes(): number {
    return this.#pendingBytes;
  }
}
