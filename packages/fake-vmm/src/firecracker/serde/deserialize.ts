// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { JsonReader, type ParsedNumber } from './json-reader.js';
import { parseJsonValue, parseNested } from './json-value.js';
import { formatRustDebugString, formatRyu } from './rust-format.js';
import { SERDE_CODES, SerdeError } from './serde-error.js';

/** The unsigned Rust integer types Firecracker's bodies use. */
export type UintName = 'u8' | 'u16' | 'u32' | 'u64' | 'usize';

/**
 * A Rust type as serde derive sees it. `custom` is a `deserialize_with` / `FromStr` check run on
 * the decoded inner value: `positioned` errors are placed right after the value (an error raised
 * inside `deserialize_str`), unpositioned ones at the enclosing struct's end of map.
 */
export type Schema =
  | { readonly kind: 'uint'; readonly name: UintName }
  | { readonly kind: 'bool' }
  | { readonly kind: 'string'; readonly expecting: string }
  | { readonly kind: 'option'; readonly inner: Schema }
  | { readonly kind: 'vec'; readonly inner: Schema }
  | { readonly kind: 'enum'; readonly variants: readonly string[] }
  | {
      readonly kind: 'struct';
      readonly name: string;
      readonly fields: readonly FieldSchema[];
      readonly denyUnknownFields: boolean;
    }
  | { readonly kind: 'value' }
  | {
      readonly kind: 'custom';
      readonly inner: Schema;
      readonly check: (value: unknown) => string | undefined;
      readonly positioned: boolean;
    };

/** A struct field; `hasDefault` is `#[serde(default)]`. */
export interface FieldSchema {
  readonly name: string;
  readonly schema: Schema;
  readonly hasDefault: boolean;
}

const UINT_MAX: Readonly<Record<UintName, bigint>> = {
  u8: 0xffn,
  u16: 0xffffn,
  u32: 0xffff_ffffn,
  u64: 0xffff_ffff_ffff_ffffn,
  usize: 0xffff_ffff_ffff_ffffn,
};

/** serde's `OneOf` list: `` `a` ``, `` `a` or `b` ``, `` one of `a`, `b`, `c` ``. */
export const formatOneOf = (names: readonly string[]): string => {
  if (names.length === 1) {
    return `\`${names[0]}\``;
  }
  if (names.length === 2) {
    return `\`${names[0]}\` or \`${names[1]}\``;
  }
  return `one of ${names.map((name) => `\`${name}\``).join(', ')}`;
};

const unexpectedNumber = (number: ParsedNumber): string =>
  number.kind === 'f64'
    ? `floating point \`${formatRyu(number.value)}\``
    : `integer \`${number.value}\``;

/** serde_json's `peek_invalid_type`: consumes the offending value and names it. */
const peekInvalidType = (reader: JsonReader, expecting: string): SerdeError => {
  const byte = reader.peek();
  let unexpected: string;
  switch (byte) {
    case undefined:
      return reader.peekError(SERDE_CODES.eofValue);
    case 0x6e:
      reader.eat();
      reader.parseIdent('ull');
      unexpected = 'null';
      break;
    case 0x74:
      reader.eat();
      reader.parseIdent('rue');
      unexpected = 'boolean `true`';
      break;
    case 0x66:
      reader.eat();
      reader.parseIdent('alse');
      unexpected = 'boolean `false`';
      break;
    case 0x22:
      reader.eat();
      unexpected = `string ${formatRustDebugString(reader.parseString())}`;
      break;
    case 0x5b:
      unexpected = 'sequence';
      break;
    case 0x7b:
      unexpected = 'map';
      break;
    case 0x2d: {
      const start = reader.index;
      reader.eat();
      unexpected = unexpectedNumber(reader.parseNumber(false, start));
      break;
    }
    default:
      if (byte !== undefined && byte >= 0x30 && byte <= 0x39) {
        unexpected = unexpectedNumber(reader.parseNumber(true, reader.index));
        break;
      }
      return reader.peekError(SERDE_CODES.expectedSomeValue);
  }
  return new SerdeError(`invalid type: ${unexpected}, expected ${expecting}`);
};

const requirePeek = (reader: JsonReader): number => {
  const byte = reader.parseWhitespace();
  if (byte === undefined) {
    throw reader.peekError(SERDE_CODES.eofValue);
  }
  return byte;
};

/** Runs `body`, then fixes the position of an unpositioned error where the reader now is. */
const positioned = <T>(reader: JsonReader, body: () => T): T => {
  try {
    return body();
  } catch (error) {
    throw error instanceof SerdeError ? error.fixPosition(reader.position()) : error;
  }
};

const deserializeUint = (reader: JsonReader, name: UintName): number => {
  const byte = requirePeek(reader);
  return positioned(reader, () => {
    let number: ParsedNumber;
    if (byte === 0x2d) {
      const start = reader.index;
      reader.eat();
      number = reader.parseNumber(false, start);
    } else if (byte >= 0x30 && byte <= 0x39) {
      number = reader.parseNumber(true, reader.index);
    } else {
      throw peekInvalidType(reader, name);
    }
    if (number.kind === 'f64') {
      throw new SerdeError(`invalid type: ${unexpectedNumber(number)}, expected ${name}`);
    }
    if (number.value < 0n || number.value > UINT_MAX[name]) {
      throw new SerdeError(`invalid value: ${unexpectedNumber(number)}, expected ${name}`);
    }
    return Number(number.value);
  });
};

const deserializeBool = (reader: JsonReader): boolean => {
  const byte = requirePeek(reader);
  return positioned(reader, () => {
    if (byte === 0x74) {
      reader.eat();
      reader.parseIdent('rue');
      return true;
    }
    if (byte === 0x66) {
      reader.eat();
      reader.parseIdent('alse');
      return false;
    }
    throw peekInvalidType(reader, 'a boolean');
  });
};

const deserializeStr = <T>(
  reader: JsonReader,
  expecting: string,
  visit: (text: string) => T,
): T => {
  const byte = requirePeek(reader);
  return positioned(reader, () => {
    if (byte !== 0x22) {
      throw peekInvalidType(reader, expecting);
    }
    reader.eat();
    return visit(reader.parseString());
  });
};

const deserializeUnit = (reader: JsonReader): null => {
  const byte = requirePeek(reader);
  return positioned(reader, () => {
    if (byte !== 0x6e) {
      throw peekInvalidType(reader, 'unit');
    }
    reader.eat();
    reader.parseIdent('ull');
    return null;
  });
};

const visitVariant = (variants: readonly string[]) => (text: string) => {
  if (!variants.includes(text)) {
    throw new SerdeError(
      variants.length === 0
        ? `unknown variant \`${text}\`, there are no variants`
        : `unknown variant \`${text}\`, expected ${formatOneOf(variants)}`,
    );
  }
  return text;
};

const deserializeEnum = (reader: JsonReader, variants: readonly string[]): string => {
  const byte = requirePeek(reader);
  if (byte === 0x22) {
    return deserializeStr(reader, 'variant identifier', visitVariant(variants));
  }
  if (byte !== 0x7b) {
    throw reader.peekError(SERDE_CODES.expectedSomeValue);
  }
  reader.enterNested();
  const variant = deserializeStr(reader, 'variant identifier', visitVariant(variants));
  reader.parseObjectColon();
  deserializeUnit(reader);
  reader.leaveNested();
  const end = reader.parseWhitespace();
  if (end !== 0x7d) {
    throw reader.error(end === undefined ? SERDE_CODES.eofObject : SERDE_CODES.expectedSomeValue);
  }
  reader.eat();
  return variant;
};

const deserializeVec = (reader: JsonReader, inner: Schema): unknown[] => {
  const byte = requirePeek(reader);
  return positioned(reader, () => {
    if (byte !== 0x5b) {
      throw peekInvalidType(reader, 'a sequence');
    }
    return parseNested(
      reader,
      () => {
        const values: unknown[] = [];
        while (reader.nextElement(values.length === 0)) {
          values.push(deserializeWith(reader, inner));
        }
        return values;
      },
      () => reader.endSeq(),
    );
  });
};

type StructSchema = Extract<Schema, { kind: 'struct' }>;

const visitStructMap = (reader: JsonReader, schema: StructSchema): Record<string, unknown> => {
  const values: Record<string, unknown> = {};
  const seen = new Set<string>();
  let first = true;
  for (let key = reader.nextKey(first); key !== undefined; key = reader.nextKey(first)) {
    first = false;
    const field = schema.fields.find((candidate) => candidate.name === key);
    if (field === undefined) {
      if (schema.denyUnknownFields) {
        const names = schema.fields.map((candidate) => candidate.name);
        throw new SerdeError(
          names.length === 0
            ? `unknown field \`${key}\`, there are no fields`
            : `unknown field \`${key}\`, expected ${formatOneOf(names)}`,
        );
      }
      reader.parseObjectColon();
      parseJsonValue(reader);
      continue;
    }
    if (seen.has(key)) {
      throw new SerdeError(`duplicate field \`${key}\``);
    }
    seen.add(key);
    reader.parseObjectColon();
    values[key] = deserializeWith(reader, field.schema);
  }
  for (const field of schema.fields) {
    if (!seen.has(field.name) && !field.hasDefault && field.schema.kind !== 'option') {
      throw new SerdeError(`missing field \`${field.name}\``);
    }
  }
  return values;
};

const visitStructSeq = (reader: JsonReader, schema: StructSchema): Record<string, unknown> => {
  const values: Record<string, unknown> = {};
  let index = 0;
  for (const field of schema.fields) {
    if (reader.nextElement(index === 0)) {
      values[field.name] = deserializeWith(reader, field.schema);
    } else if (!field.hasDefault) {
      throw new SerdeError(
        `invalid length ${index}, expected struct ${schema.name} with ${schema.fields.length} elements`,
      );
    }
    index += 1;
  }
  return values;
};

const deserializeStruct = (reader: JsonReader, schema: StructSchema): Record<string, unknown> => {
  const byte = requirePeek(reader);
  return positioned(reader, () => {
    if (byte === 0x7b) {
      return parseNested(
        reader,
        () => visitStructMap(reader, schema),
        () => reader.endMap(),
      );
    }
    if (byte === 0x5b) {
      return parseNested(
        reader,
        () => visitStructSeq(reader, schema),
        () => reader.endSeq(),
      );
    }
    throw peekInvalidType(reader, `struct ${schema.name}`);
  });
};

const deserializeCustom = (reader: JsonReader, schema: Extract<Schema, { kind: 'custom' }>) => {
  if (schema.positioned && schema.inner.kind === 'string') {
    return deserializeStr(reader, schema.inner.expecting, (text) => {
      const message = schema.check(text);
      if (message !== undefined) {
        throw new SerdeError(message);
      }
      return text;
    });
  }
  const value = deserializeWith(reader, schema.inner);
  const message = schema.check(value);
  if (message !== undefined) {
    const error = new SerdeError(message);
    throw schema.positioned ? error.fixPosition(reader.position()) : error;
  }
  return value;
};

type Deserializers = {
  readonly [Kind in Schema['kind']]: (
    reader: JsonReader,
    schema: Extract<Schema, { kind: Kind }>,
  ) => unknown;
};

const DESERIALIZERS: Deserializers = {
  uint: (reader, schema) => deserializeUint(reader, schema.name),
  bool: (reader) => deserializeBool(reader),
  string: (reader, schema) => deserializeStr(reader, schema.expecting, (text) => text),
  option: (reader, schema) => {
    if (reader.parseWhitespace() === 0x6e) {
      reader.eat();
      reader.parseIdent('ull');
      return null;
    }
    return deserializeWith(reader, schema.inner);
  },
  vec: (reader, schema) => deserializeVec(reader, schema.inner),
  enum: (reader, schema) => deserializeEnum(reader, schema.variants),
  struct: (reader, schema) => deserializeStruct(reader, schema),
  value: (reader) => parseJsonValue(reader),
  custom: (reader, schema) => deserializeCustom(reader, schema),
};

/** Deserializes one value of `schema` at the reader's position. */
export const deserializeWith = (reader: JsonReader, schema: Schema): unknown =>
  (DESERIALIZERS[schema.kind] as (reader: JsonReader, schema: Schema) => unknown)(reader, schema);

/** The outcome of `deserializeBody`. */
export type DeserializeResult<T> =
  { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: SerdeError };

/** `serde_json::from_slice::<T>(body)`: the value, or the error serde_json would report. */
export const deserializeBody = <T = Record<string, unknown>>(
  schema: Schema,
  body: Uint8Array,
): DeserializeResult<T> => {
  const reader = new JsonReader(body);
  try {
    const value = deserializeWith(reader, schema) as T;
    reader.end();
    return { ok: true, value };
  } catch (error) {
    if (error instanceof SerdeError) {
      return { ok: false, error };
    }
    throw error;
  }
};
