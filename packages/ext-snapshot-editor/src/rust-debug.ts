// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

/**
 * A value that Rust's `Debug` printed, as data:
 * - a struct `Name { a: 1 }` is `{ $type: 'Name', a: 1 }`; a tuple struct or enum variant
 *   `Name(1, 2)` is `{ $type: 'Name', $fields: [1, 2] }`; a unit `Name` is `{ $type: 'Name' }`;
 * - `Some(x)` is `x` and `None` is `null`;
 * - a list `[…]` and a tuple `(…)` are arrays; a map `{ k: v }` is `{ $entries: [[k, v]] }`;
 * - integers are numbers, or bigints beyond `Number.MAX_SAFE_INTEGER` (a u64 register);
 *   strings and chars are strings; `true`/`false` are booleans.
 */
export type RustValue =
  null | boolean | number | bigint | string | readonly RustValue[] | RustStruct | RustMap;

/** A struct, tuple struct or unit (`$fields` only for a tuple struct); field names as Rust's. */
export interface RustStruct {
  readonly $type: string;
  readonly $fields?: readonly RustValue[];
  readonly [field: string]: RustValue | undefined;
}

/** A map, with its entries in the printed order. */
export interface RustMap {
  readonly $entries: readonly (readonly [RustValue, RustValue])[];
}

/** Why a text is not a Rust `Debug` value, and where (an offset into the text). */
export class RustDebugSyntaxError extends Error {
  static {
    this.prototype.name = 'RustDebugSyntaxError';
  }

  readonly offset: number;

  constructor(message: string, offset: number) {
    super(`${message} at offset ${offset}`);
    this.offset = offset;
  }
}

const IDENTIFIER = /[A-Za-z_][A-Za-z0-9_]*(?:::[A-Za-z_][A-Za-z0-9_]*)*/uy;
// `inf` and `NaN` only as whole words: an identifier may start with them.
const NUMBER =
  /(?:-?(?:0x[0-9a-fA-F]+|0b[01]+|0o[0-7]+|[0-9]+(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?|inf)|NaN)(?![A-Za-z0-9_])/uy;
const SPACE = /\s*/uy;
const ESCAPES: Readonly<Record<string, string>> = {
  n: '\n',
  r: '\r',
  t: '\t',
  '0': '\0',
  '\\': '\\',
  '"': '"',
  "'": "'",
};

const toNumber = (text: string): number | bigint => {
  if (text === 'NaN') {
    return Number.NaN;
  }
  if (text === 'inf' || text === '-inf') {
    return text === 'inf' ? Number.POSITIVE_INFINITY : Number.NEGATIVE_INFINITY;
  }
  const negative = text.startsWith('-');
  const digits = negative ? text.slice(1) : text;
  if (/^[0-9]+(?:\.|[eE])/u.test(digits)) {
    return Number(text);
  }
  const magnitude = BigInt(digits);
  const value = negative ? -magnitude : magnitude;
  return value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER)
    ? Number(value)
    : value;
};

/** A recursive-descent reader of one `Debug` text, compact (`{:?}`) or pretty (`{:#?}`). */
class Reader {
  private offset = 0;

  constructor(private readonly text: string) {}

  readDocument(): RustValue {
    const value = this.readValue();
    this.skipSpace();
    if (this.offset < this.text.length) {
      this.fail(`unexpected ${JSON.stringify(this.text.slice(this.offset, this.offset + 20))}`);
    }
    return value;
  }

  private fail(message: string): never {
    throw new RustDebugSyntaxError(message, this.offset);
  }

  private skipSpace(): void {
    SPACE.lastIndex = this.offset;
    SPACE.exec(this.text);
    this.offset = SPACE.lastIndex;
  }

  private peek(): string {
    this.skipSpace();
    return this.text[this.offset] ?? '';
  }

  private expect(char: string): void {
    if (this.peek() !== char) {
      this.fail(`expected ${JSON.stringify(char)}`);
    }
    this.offset += 1;
  }

  private match(pattern: RegExp): string | undefined {
    this.skipSpace();
    pattern.lastIndex = this.offset;
    const found = pattern.exec(this.text);
    if (found === null) {
      return undefined;
    }
    this.offset = pattern.lastIndex;
    return found[0];
  }

  // Items up to `close`, each followed by a comma except perhaps the last (pretty prints one).
  private readItems<Item>(close: string, readItem: () => Item): Item[] {
    const items: Item[] = [];
    while (this.peek() !== close) {
      items.push(readItem());
      if (this.peek() === ',') {
        this.offset += 1;
      } else if (this.peek() !== close) {
        this.fail(`expected "," or ${JSON.stringify(close)}`);
      }
    }
    this.offset += 1;
    return items;
  }

  private readQuoted(quote: string): string {
    this.expect(quote);
    let out = '';
    for (;;) {
      const char = this.text[this.offset];
      if (char === undefined) {
        this.fail('unterminated string');
      }
      this.offset += 1;
      if (char === quote) {
        return out;
      }
      if (char !== '\\') {
        out += char;
        continue;
      }
      const escape = this.text[this.offset] ?? '';
      this.offset += 1;
      if (escape === 'u') {
        const unicode = /\{([0-9a-fA-F]{1,6})\}/uy;
        unicode.lastIndex = this.offset;
        const found = unicode.exec(this.text);
        if (found === null) {
          this.fail('bad \\u escape');
        }
        out += String.fromCodePoint(Number.parseInt(found[1] ?? '0', 16));
        this.offset = unicode.lastIndex;
      } else if (escape in ESCAPES) {
        out += ESCAPES[escape];
      } else {
        this.fail(`unknown escape \\${escape}`);
      }
    }
  }

  // Named fields; `..` (`finish_non_exhaustive`, fields left out) ends them.
  private readFields(): [string, RustValue][] {
    const fields = this.readItems('}', () => {
      if (this.match(/\.\./uy) !== undefined) {
        return null;
      }
      const name = this.match(IDENTIFIER);
      if (name === undefined) {
        this.fail('expected a field name');
      }
      this.expect(':');
      return [name, this.readValue()] as [string, RustValue];
    });
    return fields.filter((field) => field !== null);
  }

  private readNamed(name: string): RustValue {
    switch (name) {
      case 'true':
        return true;
      case 'false':
        return false;
      case 'None':
        return null;
      default:
        break;
    }
    const next = this.peek();
    if (next === '(') {
      this.offset += 1;
      const fields = this.readItems(')', () => this.readValue());
      if (name === 'Some' && fields.length === 1) {
        return fields[0] ?? null;
      }
      return { $type: name, $fields: fields };
    }
    if (next === '{') {
      this.offset += 1;
      return Object.fromEntries([['$type', name], ...this.readFields()]) as RustStruct;
    }
    return { $type: name };
  }

  private readValue(): RustValue {
    const next = this.peek();
    switch (next) {
      case '"':
        return this.readQuoted('"');
      case "'":
        return this.readQuoted("'");
      case '[':
        this.offset += 1;
        return this.readItems(']', () => this.readValue());
      case '(':
        this.offset += 1;
        return this.readItems(')', () => this.readValue());
      case '{':
        this.offset += 1;
        return {
          $entries: this.readItems('}', () => {
            const key = this.readValue();
            this.expect(':');
            return [key, this.readValue()] as const;
          }),
        };
      default:
        break;
    }
    const number = this.match(NUMBER);
    if (number !== undefined) {
      return toNumber(number);
    }
    const name = this.match(IDENTIFIER);
    if (name !== undefined) {
      return this.readNamed(name);
    }
    return this.fail(next === '' ? 'unexpected end of text' : `unexpected ${JSON.stringify(next)}`);
  }
}

/**
 * Parses the text of one value as Rust's `Debug` prints it (`{:?}` or `{:#?}`): structs, tuple
 * structs, units, `Option`s, lists, tuples, maps, strings, chars, numbers and booleans. Throws
 * `RustDebugSyntaxError` for anything else.
 */
export const parseRustDebug = (text: string): RustValue => new Reader(text).readDocument();
