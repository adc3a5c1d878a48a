// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { KindlingError } from '@kindling/spawner';

/**
 * The codes of `MetricsError`. Codes are written once and never renamed; each is listed with its
 * meaning in the package README.
 */
export type MetricsErrorCode =
  // Validation: nothing was opened or registered (the same code in every layer)
  | 'ERR_INVALID_INPUT'
  // The metrics file or FIFO cannot be opened or read (missing, not a file or FIFO, no access)
  | 'ERR_METRICS_SOURCE';

/** The error every `@kindling/ext-metrics` call throws; `code` says what failed. */
export class MetricsError<
  Code extends MetricsErrorCode = MetricsErrorCode,
> extends KindlingError<Code> {
  static {
    this.prototype.name = 'MetricsError';
  }
}
