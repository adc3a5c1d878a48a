// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import type { JsonReader, ParsedNumber } from './json-reader.js';
import { formatRyu } from './rust-format.js';
import { SERDE_CODES, SerdeError } from './serde-error.js';

/**
 * A `serde_json::Value`: numbers keep serde_json's u64 / i64 / f64 classification (so `1.0`
 * prints back as `1.0`), and objects are maps printed in key order, like its default `BTreeMap`.
 */
export type JsonValue = null | boolean | string | ParsedNumber | JsonValue[] | JsonObjectValue;

/** An object of a `JsonValue`; later duplicate keys replace earlier ones, as in serde_json. */
export type JsonObjectValue = Map<string, JsonValue>;

const isNumber = (value: JsonValue): value is ParsedNumber =>
  typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Map);

/** Whether a value is a JSON object. */
export const isJsonObject = (value: JsonValue): value is JsonObjectValue => value instanceof Map;

const parseArray = (reader: JsonReader): JsonValue[] => {
  const values: JsonValue[] = [];
  while (reader.nextElement(values.length === 0)) {
    values.push(parseJsonValue(reader));
  }
  return values;
};

const parseObject = (reader: JsonReader): JsonObjectValue => {
  const map: JsonObjectValue = new Map();
  let first = true;
  for (let key = reader.nextKey(first); key !== undefined; key = reader.nextKey(first)) {
    first = false;
    reader.parseObjectColon();
    map.set(key, parseJsonValue(reader));
  }
  return map;
};

/**
 * Parses an array or object body between `enterNested`/`leaveNested`, then its closing `]`/`}`;
 * like serde_json's `(ret, end)` match, the end is evaluated even after an error.
 */
export const parseNested = <T>(reader: JsonReader, parse: () => T, end: () => void): T => {
  reader.enterNested();
  let value: T;
  try {
    value = parse();
  } catch (error) {
    reader.leaveNested();
    try {
      end();
    } catch {
      // serde_json evaluates end_seq/end_map even after an error; only the first error counts.
    }
    throw error;
  }
  reader.leaveNested();
  end();
  return value;
};

/** Parses one value the way `serde_json::Value::deserialize` does (errors positioned). */
export const parseJsonValue = (reader: JsonReader): JsonValue => {
  const byte = reader.parseWhitespace();
  try {
    switch (byte) {
      case undefined:
        throw reader.peekError(SERDE_CODES.eofValue);
      case 0x6e:
        reader.eat();
        reader.parseIdent('ull');
        return null;
      case 0x74:
        reader.eat();
        reader.parseIdent('rue');
        return true;
      case 0x66:
        reader.eat();
        reader.parseIdent('alse');
        return false;
      case 0x2d: {
        const start = reader.index;
        reader.eat();
        return reader.parseNumber(false, start);
      }
      case 0x22:
        reader.eat();
        return reader.parseString();
      case 0x5b:
        return parseNested(
          reader,
          () => parseArray(reader),
          () => reader.endSeq(),
        );
      case 0x7b:
        return parseNested(
          reader,
          () => parseObject(reader),
          () => reader.endMap(),
        );
      default:
        if (byte >= 0x30 && byte <= 0x39) {
          return reader.parseNumber(true, reader.index);
        }
        throw reader.peekError(SERDE_CODES.expectedSomeValue);
    }
  } catch (error) {
    throw error instanceof SerdeError ? error.fixPosition(reader.position()) : error;
  }
};

const compareUtf8 = (left: string, right: string): number =>
  Buffer.compare(Buffer.from(left, 'utf8'), Buffer.from(right, 'utf8'));

/** Prints a value as `serde_json::to_string` does (compact; object keys in byte order). */
export const stringifyJsonValue = (value: JsonValue): string => {
  if (value === null) {
    return 'null';
  }
  if (typeof value === 'boolean') {
    return value ? 'true' : 'false';
  }
  if (typeof value === 'string') {
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) {
    return `[${value.map(stringifyJsonValue).join(',')}]`;
  }
  if (isNumber(value)) {
    return value.kind === 'f64' ? formatRyu(value.value) : value.value.toString();
  }
  const keys = [...value.keys()].toSorted(compareUtf8);
  return `{${keys.map((key) => `${JSON.stringify(key)}:${stringifyJsonValue(value.get(key) ?? null)}`).join(',')}}`;
};

/** Applies an RFC 7396 merge patch as Firecracker's MMDS `json_patch` does; returns the result. */
export const mergePatch = (target: JsonValue, patch: JsonValue): JsonValue => {
  if (!isJsonObject(patch)) {
    return patch;
  }
  const result: JsonObjectValue = isJsonObject(target) ? new Map(target) : new Map();
  for (const [key, value] of patch) {
    if (value === null) {
      result.delete(key);
    } else {
      result.set(key, mergePatch(result.get(key) ?? null, value));
    }
  }
  return result;
};

/** Converts a value to plain JavaScript (numbers as `number`, objects as records). */
export const toPlainJson = (value: JsonValue): unknown => {
  if (value === null || typeof value !== 'object') {
    return value;
  }
  if (Array.isArray(value)) {
    return value.map(toPlainJson);
  }
  if (isNumber(value)) {
    return Number(value.value);
  }
  return Object.fromEntries([...value].map(([key, item]) => [key, toPlainJson(item)]));
};
