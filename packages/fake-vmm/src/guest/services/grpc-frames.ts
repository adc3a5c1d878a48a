// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

/** Prefixes a message with gRPC's 5-byte header: uncompressed flag, then the length (big-endian). */
export const encodeGrpcFrame = (message: Uint8Array): Buffer => {
  const frame = Buffer.alloc(5 + message.length);
  frame.writeUInt8(0, 0);
  frame.writeUInt32BE(message.length, 1);
  frame.set(message, 5);
  return frame;
};

/** Splits a byte stream into gRPC messages; keeps a partial frame for the next chunk. */
export class GrpcFrameReader {
  private pending: Buffer = Buffer.alloc(0);

  push(chunk: Buffer): Buffer[] {
    this.pending = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    const messages: Buffer[] = [];
    while (this.pending.length >= 5) {
      const length = this.pending.readUInt32BE(1);
      if (this.pending.length < 5 + length) {
        break;
      }
      messages.push(this.pending.subarray(5, 5 + length));
      this.pending = this.pending.subarray(5 + length);
    }
    return messages;
  }
}
