// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import type { Readable } from 'node:stream';

/**
 * Reads a stream to its end as UTF-8, keeping at most `maxBytes`: the rest is read and dropped, so
 * a chatty child never blocks on a full pipe.
 */
export const readCapped = async (stream: Readable | null, maxBytes: number): Promise<string> => {
  if (stream === null) {
    return '';
  }
  const chunks: Buffer[] = [];
  let kept = 0;
  for await (const chunk of stream) {
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
    if (kept < maxBytes) {
      const part = buffer.subarray(0, maxBytes - kept);
      chunks.push(part);
      kept += part.length;
    }
  }
  return Buffer.concat(chunks).toString('utf8');
};
