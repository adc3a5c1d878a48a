// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

const ESCAPES: Readonly<Record<string, string>> = {
  '"': String.raw`\"`,
  '\\': String.raw`\\`,
  '\n': String.raw`\n`,
  '\r': String.raw`\r`,
  '\t': String.raw`\t`,
  '\0': String.raw`\0`,
};

/** A string as Rust's `Debug` prints it: double-quoted, control characters as `\u{…}`. */
export const formatRustString = (text: string): string => {
  let out = '"';
  for (const char of text) {
    const escaped = ESCAPES[char];
    const point = char.codePointAt(0) ?? 0;
    if (escaped !== undefined) {
      out += escaped;
    } else if (point < 0x20 || point === 0x7f) {
      out += String.raw`\u{${point.toString(16)}}`;
    } else {
      out += char;
    }
  }
  return `${out}"`;
};

/** A char as Rust's `Debug` prints it: single-quoted. */
export const formatRustChar = (char: string): string =>
  char === "'"
    ? String.raw`'\''`
    : `'${formatRustString(char)
        .slice(1, -1)
        .replace(String.raw`\"`, '"')}'`;

/** A value as Rust's `{:#?}` renders it: a struct, a map, a list, a bare token, or a scalar. */
export type RustDebugValue =
  | { readonly struct: string; readonly fields: readonly (readonly [string, RustDebugValue])[] }
  | { readonly map: readonly (readonly [string, RustDebugValue])[] }
  | { readonly list: readonly RustDebugValue[] }
  | { readonly token: string }
  | string
  | number
  | boolean
  | null;

const INDENT = '    ';

const indentLines = (text: string): string => text.replaceAll('\n', `\n${INDENT}`);

/** Renders a value as Rust's pretty `Debug` (`{:#?}`): four-space indents and trailing commas. */
export const formatRustDebug = (value: RustDebugValue): string => {
  if (value === null) {
    return 'None';
  }
  if (typeof value === 'string') {
    return formatRustString(value);
  }
  if (typeof value === 'number' || typeof value === 'boolean') {
    return String(value);
  }
  if ('token' in value) {
    return value.token;
  }
  if ('list' in value) {
    return value.list.length === 0
      ? '[]'
      : `[\n${value.list.map((item) => `${INDENT}${indentLines(formatRustDebug(item))},\n`).join('')}]`;
  }
  const isStruct = 'struct' in value;
  const entries = isStruct ? value.fields : value.map;
  const open = isStruct ? `${value.struct} {` : '{';
  if (entries.length === 0) {
    return isStruct ? value.struct : '{}';
  }
  const body = entries
    .map(([key, item]) => {
      const label = isStruct ? key : formatRustString(key);
      return `${INDENT}${label}: ${indentLines(formatRustDebug(item))},\n`;
    })
    .join('');
  return `${open}\n${body}}`;
};

/** A JSON value as a Rust debug value: objects as maps with quoted keys, arrays as lists. */
export const fromJson = (value: unknown): RustDebugValue => {
  if (value === null || value === undefined) {
    return null;
  }
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
    return value;
  }
  if (Array.isArray(value)) {
    return { list: value.map(fromJson) };
  }
  return {
    map: Object.entries(value as Record<string, unknown>).map(([key, item]) => [
      key,
      fromJson(item),
    ]),
  };
};
