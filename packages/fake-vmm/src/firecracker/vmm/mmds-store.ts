// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { mergePatch, stringifyJsonValue, type JsonValue } from '../serde/json-value.js';

/** The outcome of a change to the MMDS data store. */
export type MmdsChange = 'ok' | 'too-big' | 'not-initialized';

/** MMDS's data store: JSON, limited to `--mmds-size-limit` bytes as serde_json prints it. */
export class MmdsStore {
  private data: JsonValue | undefined;
  private readonly limit: number;

  constructor(limit: number) {
    this.limit = limit;
  }

  get initialized(): boolean {
    return this.data !== undefined;
  }

  private fits(value: JsonValue): boolean {
    return Buffer.byteLength(stringifyJsonValue(value)) <= this.limit;
  }

  put(value: JsonValue): MmdsChange {
    if (!this.fits(value)) {
      return 'too-big';
    }
    this.data = value;
    return 'ok';
  }

  /** An RFC 7396 merge into the store, which a PUT must have initialized. */
  patch(value: JsonValue): MmdsChange {
    if (this.data === undefined) {
      return 'not-initialized';
    }
    const merged = mergePatch(this.data, value);
    if (!this.fits(merged)) {
      return 'too-big';
    }
    this.data = merged;
    return 'ok';
  }

  /** The store as `GET /mmds` prints it (`{}` before any PUT). */
  serialize(): string {
    return this.data === undefined ? '{}' : stringifyJsonValue(this.data);
  }
}
