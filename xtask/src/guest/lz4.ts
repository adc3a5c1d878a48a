// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

// LZ4's legacy frame, as the kernel's build writes it (`lz4 -l`): a 4-byte magic, then blocks of
// a 4-byte little-endian compressed size and an independent LZ4 block of at most 8 MiB.

/** The legacy frame's magic, as bytes in the file: `02 21 4c 18`. */
export const LZ4_LEGACY_MAGIC = Buffer.from([0x02, 0x21, 0x4c, 0x18]);

const LEGACY_BLOCK_MAX = 8 * 1024 * 1024;

/** Decodes one LZ4 block into `out` from `outStart`; returns where the output ends. */
const decodeBlock = (input: Buffer, out: Buffer, outStart: number): number => {
  let inPos = 0;
  let outPos = outStart;
  const readLength = (base: number): number => {
    let length = base;
    if (base === 15) {
      let byte = 255;
      while (byte === 255) {
        byte = input[inPos] ?? 0;
        inPos += 1;
        length += byte;
      }
    }
    return length;
  };
  while (inPos < input.length) {
    const token = input[inPos] ?? 0;
    inPos += 1;
    const literals = readLength(token >> 4);
    input.copy(out, outPos, inPos, inPos + literals);
    inPos += literals;
    outPos += literals;
    if (inPos >= input.length) {
      // The last sequence has literals only.
      break;
    }
    const offset = (input[inPos] ?? 0) | ((input[inPos + 1] ?? 0) << 8);
    inPos += 2;
    if (offset === 0 || offset > outPos - outStart) {
      throw new RangeError(`LZ4: bad match offset ${offset} at output byte ${outPos}`);
    }
    const matchLength = readLength(token & 0x0f) + 4;
    // Byte by byte: a match may overlap the bytes it produces.
    for (let index = 0; index < matchLength; index += 1) {
      out[outPos] = out[outPos - offset] ?? 0;
      outPos += 1;
    }
  }
  return outPos;
};

/**
 * Decodes an LZ4 legacy frame that starts at `input[0]` until `expectedLength` bytes came out
 * (the kernel appends that length after the frame, so the frame's own end is not marked).
 */
export const decodeLz4Legacy = (input: Buffer, expectedLength: number): Buffer => {
  if (!input.subarray(0, 4).equals(LZ4_LEGACY_MAGIC)) {
    throw new RangeError('LZ4: no legacy frame magic (02 21 4c 18) at the start');
  }
  const out = Buffer.alloc(expectedLength + LEGACY_BLOCK_MAX);
  let inPos = 4;
  let outPos = 0;
  while (outPos < expectedLength) {
    if (inPos + 4 > input.length) {
      throw new RangeError(`LZ4: the frame ended after ${outPos} of ${expectedLength} bytes`);
    }
    const size = input.readUInt32LE(inPos);
    inPos += 4;
    if (size === input.readUInt32LE(0)) {
      // Concatenated frames repeat the magic.
      continue;
    }
    outPos = decodeBlock(input.subarray(inPos, inPos + size), out, outPos);
    inPos += size;
  }
  return out.subarray(0, expectedLength);
};
