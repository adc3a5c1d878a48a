// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

const kKindlingError = Symbol.for('kindling.error');

/**
 * The base of every error Kindling throws: a stable `code` to switch on, a message that says what
 * to do, and the underlying error as `cause`. Each layer narrows `Code` to its own union.
 */
export class KindlingError<Code extends string = string> extends Error {
  static {
    this.prototype.name = 'KindlingError';
  }

  /** A stable identifier such as `ERR_SPAWN_FAILED`; written once, never renamed. */
  readonly code: Code;

  constructor(code: Code, message: string, options?: ErrorOptions) {
    super(message, options);
    this.code = code;
    Object.defineProperty(this, kKindlingError, { value: true });
  }
}

/** Whether a value is a Kindling error; unlike `instanceof`, true across two installed copies. */
export const isKindlingError = (value: unknown): value is KindlingError =>
  typeof value === 'object' && value !== null && kKindlingError in value;
