// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import type { z } from 'zod';
import { rateLimiterSchema } from './rate-limiter.js';
import { denyUnknownFields, serdeOption } from './wire-types.js';

/**
 * The zod schema of an `EntropyDevice` (`PUT /entropy`; `entropy` in a config file and in
 * `GET /vm/config`): a virtio-rng device. `{}` is valid; unknown fields are rejected.
 */
export const entropyDeviceSchema = denyUnknownFields('EntropyDevice', {
  /** Rate limiter for the random bytes handed to the guest. */
  rate_limiter: serdeOption(rateLimiterSchema),
});

/**
 * A virtio-rng entropy device.
 *
 * @interface
 */
export type EntropyDevice = z.infer<typeof entropyDeviceSchema>;
