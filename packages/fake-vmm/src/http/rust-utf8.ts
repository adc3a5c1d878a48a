// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

const isContinuation = (byte: number | undefined): boolean | undefined =>
  byte === undefined ? undefined : byte >= 0x80 && byte <= 0xbf;

const charWidth = (first: number): number => {
  if (first < 0x80) {
    return 1;
  }
  if (first >= 0xc2 && first <= 0xdf) {
    return 2;
  }
  if (first >= 0xe0 && first <= 0xef) {
    return 3;
  }
  return first >= 0xf0 && first <= 0xf4 ? 4 : 0;
};

// The range the second byte of a 3- or 4-byte sequence must fall in (no overlongs, no surrogates).
const secondByteRange = (first: number): readonly [number, number] => {
  switch (first) {
    case 0xe0:
      return [0xa0, 0xbf];
    case 0xed:
      return [0x80, 0x9f];
    case 0xf0:
      return [0x90, 0xbf];
    case 0xf4:
      return [0x80, 0x8f];
    default:
      return [0x80, 0xbf];
  }
};

/**
 * Rust's `Utf8Error` display for `bytes`, or undefined when they are valid UTF-8:
 * `invalid utf-8 sequence of N bytes from index I` or `incomplete utf-8 byte sequence from index I`.
 */
export const describeRustUtf8Error = (bytes: Uint8Array): string | undefined => {
  let index = 0;
  while (index < bytes.length) {
    const first = bytes[index] ?? 0;
    const width = charWidth(first);
    let errorLength: number | null | undefined;
    if (width === 0) {
      errorLength = 1;
    } else if (width > 1) {
      const [low, high] = secondByteRange(first);
      for (let offset = 1; offset < width; offset += 1) {
        const byte = bytes[index + offset];
        const valid =
          offset === 1
            ? byte === undefined
              ? undefined
              : byte >= low && byte <= high
            : isContinuation(byte);
        if (valid === undefined) {
          errorLength = null;
          break;
        }
        if (!valid) {
          errorLength = offset;
          break;
        }
      }
    }
    if (errorLength === null) {
      return `incomplete utf-8 byte sequence from index ${index}`;
    }
    if (errorLength !== undefined) {
      return `invalid utf-8 sequence of ${errorLength} bytes from index ${index}`;
    }
    index += width;
  }
  return undefined;
};
