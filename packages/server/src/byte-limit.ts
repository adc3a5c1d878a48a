// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { Transform } from 'node:stream';
import { ServerError } from './errors.js';

/**
 * A pass-through stream that fails with 413 `ERR_INVALID_INPUT` once more than `limit` bytes went
 * through: a streamed body is bounded without being held.
 */
export const limitBytes = (limit: number, field: string, setting: string): Transform => {
  let seen = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      seen += chunk.length;
      if (seen > limit) {
        callback(
          new ServerError(
            'ERR_INVALID_INPUT',
            `${field}: larger than ${setting} (${limit} bytes): send a smaller archive, or raise ${setting}`,
            { field, status: 413 },
          ),
        );
        return;
      }
      callback(null, chunk);
    },
  });
};
