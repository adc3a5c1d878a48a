// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import type { FieldSchema, Schema, UintName } from './deserialize.js';

const uint = (name: UintName): Schema => ({ kind: 'uint', name });

/** Rust `u8`. */
export const u8 = uint('u8');
/** Rust `u16`. */
export const u16 = uint('u16');
/** Rust `u32`. */
export const u32 = uint('u32');
/** Rust `u64`. */
export const u64 = uint('u64');
/** Rust `usize` (64-bit). */
export const usize = uint('usize');
/** Rust `bool`. */
export const bool: Schema = { kind: 'bool' };
/** Rust `String`. */
export const string: Schema = { kind: 'string', expecting: 'a string' };
/** Rust `PathBuf` (serde expects a "path string"). */
export const path: Schema = { kind: 'string', expecting: 'path string' };
/** `serde_json::Value`: any JSON. */
export const value: Schema = { kind: 'value' };

/** Rust `Option<T>`. */
export const option = (inner: Schema): Schema => ({ kind: 'option', inner });

/** Rust `Vec<T>`. */
export const vec = (inner: Schema): Schema => ({ kind: 'vec', inner });

/** A derived enum of unit variants, in declaration order. */
export const unitEnum = (...variants: string[]): Schema => ({ kind: 'enum', variants });

/** A field; `hasDefault` is `#[serde(default)]`. */
export const field = (name: string, schema: Schema, hasDefault = false): FieldSchema => ({
  name,
  schema,
  hasDefault,
});

/** A derived struct; `denyUnknownFields` is `#[serde(deny_unknown_fields)]`. */
export const struct = (
  name: string,
  fields: readonly FieldSchema[],
  denyUnknownFields = true,
): Schema => ({ kind: 'struct', name, fields, denyUnknownFields });

/**
 * A value whose type deserializes `inner` then checks it: a non-undefined return is the error
 * message. `positioned` is true when the check runs inside serde_json's `deserialize_str`.
 */
export const checked = (
  inner: Schema,
  check: (decoded: unknown) => string | undefined,
  positioned = false,
): Schema => ({ kind: 'custom', inner, check, positioned });
