// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import * as fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_FRAME_BYTES } from './constants.js';
import { encodeFrame, FrameDecoder } from './frame-codec.js';
import { FrameType } from './frame-types.js';

const frameArbitrary = fc.record({
  type: fc.constantFrom(...Object.values(FrameType)),
  streamId: fc.nat(),
  payload: fc.uint8Array({ maxLength: 300 }),
});

// Splits bytes at the given cut points.
const split = (bytes: Buffer, cuts: readonly number[]): Buffer[] => {
  const points = [...new Set(cuts.map((cut) => cut % (bytes.byteLength + 1)))].toSorted(
    (a, b) => a - b,
  );
  return [0, ...points].map((start, index) =>
    bytes.subarray(start, [...points, bytes.byteLength][index]),
  );
};

describe('FrameDecoder', () => {
  it('decodes the frames encoded, however the bytes are chunked', () => {
    fc.assert(
      fc.property(
        fc.array(frameArbitrary, { maxLength: 8 }),
        fc.array(fc.nat(), { maxLength: 10 }),
        (frames, cuts) => {
          const decoder = new FrameDecoder();
          const bytes = Buffer.concat(
            frames.map((frame) => encodeFrame(frame.type, frame.streamId, frame.payload)),
          );
          const decoded = split(bytes, cuts).flatMap((chunk) => decoder.push(chunk));
          expect(
            decoded.map(({ type, streamId, payload }) => ({
              type,
              streamId,
              payload: new Uint8Array(payload),
            })),
          ).toEqual(frames);
          expect(decoder.pendingBytes).toBe(0);
        },
      ),
    );
  });

  it('keeps a large frame whole across many chunks', () => {
    const decoder = new FrameDecoder();
    const payload = Buffer.alloc(1_000_000, 7);
    const bytes = encodeFrame(FrameType.DATA, 3, payload);
    const decoded = split(
      bytes,
      Array.from({ length: 100 }, (_, index) => (index + 1) * 10_000),
    ).flatMap((chunk) => decoder.push(chunk));
    expect(decoded).toHaveLength(1);
    expect(decoded[0]?.payload.equals(payload)).toBe(true);
  });

  it('refuses a length beyond the limit before buffering it', () => {
    const header = Buffer.alloc(9);
    header.writeUInt32BE(MAX_FRAME_BYTES, 0);
    expect(() => new FrameDecoder().push(header)).toThrow(
      /announced 16777216 bytes .* is the peer a Kindling exec agent or host\?/u,
    );
  });

  it('refuses an unknown frame type, naming it', () => {
    const frame = encodeFrame(FrameType.DATA, 1);
    frame.writeUInt8(99, 4);
    expect(() => new FrameDecoder().push(frame)).toThrow(
      'A frame has the unknown type 99: is the peer of the same protocol version?',
    );
  });

  it('refuses to encode a frame over the limit, naming its type', () => {
    expect(() => encodeFrame(FrameType.RESULT, 1, new Uint8Array(MAX_FRAME_BYTES))).toThrow(
      /A RESULT frame of \d+ bytes exceeds/u,
    );
  });
});
