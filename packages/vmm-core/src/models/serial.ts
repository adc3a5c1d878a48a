// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import type { z } from 'zod';
import { tokenBucketSchema } from './rate-limiter.js';
import { denyUnknownFields, serdeOption, wireString } from './wire-types.js';

/**
 * The zod schema of a `SerialDevice` (`PUT /serial`, before boot). Unknown fields are rejected.
 * A config file has no serial key: without this call the serial console is Firecracker's
 * stdin/stdout.
 */
export const serialSchema = denyUnknownFields('SerialDevice', {
  /** Host file or FIFO that receives the guest's serial output (opened without truncating). */
  serial_out_path: serdeOption(wireString('a path string')),
  /** Token bucket (bytes) for serial output; output over the rate is dropped and counted. */
  rate_limiter: serdeOption(tokenBucketSchema),
});

/**
 * The serial console's output configuration (Rust `SerialConfig`).
 *
 * @interface
 */
export type SerialConfig = z.infer<typeof serialSchema>;
