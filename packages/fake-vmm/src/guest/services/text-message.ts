// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

// The guest agent's only protobuf message, `message Text { string text = 1; }`: field 1, wire
// type 2 (length-delimited), hence the tag byte 0x0a.
const TEXT_TAG = 0x0a;

const encodeVarint = (value: number): number[] => {
  const bytes: number[] = [];
  let rest = value;
  while (rest >= 0x80) {
    bytes.push((rest & 0x7f) | 0x80);
    rest = Math.floor(rest / 0x80);
  }
  bytes.push(rest);
  return bytes;
};

const readVarint = (bytes: Uint8Array, start: number): [value: number, next: number] => {
  let value = 0;
  let factor = 1;
  for (let index = start; index < bytes.length; index += 1) {
    const byte = bytes[index] ?? 0;
    value += (byte & 0x7f) * factor;
    if ((byte & 0x80) === 0) {
      return [value, index + 1];
    }
    factor *= 0x80;
  }
  throw new RangeError('truncated varint');
};

/** Encodes `{ text }` as protobuf (an empty text encodes to no bytes, as proto3 does). */
export const encodeTextMessage = (text: string): Buffer => {
  const payload = Buffer.from(text, 'utf8');
  return payload.length === 0
    ? Buffer.alloc(0)
    : Buffer.concat([Buffer.from([TEXT_TAG, ...encodeVarint(payload.length)]), payload]);
};

/** Decodes the `text` field of a protobuf message, skipping any other field. */
export const decodeTextMessage = (bytes: Uint8Array): string => {
  let text = '';
  let index = 0;
  while (index < bytes.length) {
    const [key, afterKey] = readVarint(bytes, index);
    const wireType = key & 0x07;
    index = afterKey;
    if (wireType === 0) {
      [, index] = readVarint(bytes, index);
    } else if (wireType === 2) {
      const [length, afterLength] = readVarint(bytes, index);
      if (key >>> 3 === 1) {
        text = Buffer.from(bytes.subarray(afterLength, afterLength + length)).toString('utf8');
      }
      index = afterLength + length;
    } else if (wireType === 1 || wireType === 5) {
      index += wireType === 1 ? 8 : 4;
    } else {
      throw new RangeError(`unsupported protobuf wire type ${wireType}`);
    }
  }
  return text;
};
