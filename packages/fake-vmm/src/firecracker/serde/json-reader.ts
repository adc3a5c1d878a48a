// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { SERDE_CODES, SerdeError } from './serde-error.js';

/** A number as serde_json's parser classifies it before a visitor sees it. */
export type ParsedNumber =
  | { readonly kind: 'u64'; readonly value: bigint }
  | { readonly kind: 'i64'; readonly value: bigint }
  | { readonly kind: 'f64'; readonly value: number };

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const MINUS = 0x2d;
const DOT = 0x2e;
const ZERO = 0x30;
const NINE = 0x39;
const U64_MAX = 0xffff_ffff_ffff_ffffn;
const I64_MIN_MAGNITUDE = 0x8000_0000_0000_0000n;
const RECURSION_LIMIT = 128;

const isDigit = (byte: number | undefined): byte is number =>
  byte !== undefined && byte >= ZERO && byte <= NINE;

const isWhitespace = (byte: number): boolean =>
  byte === 0x20 || byte === 0x0a || byte === 0x09 || byte === 0x0d;

const SIMPLE_ESCAPES = new Map<number, string>([
  [QUOTE, '"'],
  [BACKSLASH, '\\'],
  [0x2f, '/'],
  [0x62, '\b'],
  [0x66, '\f'],
  [0x6e, '\n'],
  [0x72, '\r'],
  [0x74, '\t'],
]);

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * serde_json's `SliceRead` plus the parsing primitives of its `Deserializer`: a cursor over the
 * body bytes whose errors carry serde_json's exact texts and positions.
 */
export class JsonReader {
  readonly bytes: Uint8Array;
  index = 0;
  remainingDepth = RECURSION_LIMIT;

  constructor(bytes: Uint8Array) {
    this.bytes = bytes;
  }

  /** Line and column of byte `index`, as serde_json counts them (column = bytes before it). */
  positionOf(index: number): { line: number; column: number } {
    let line = 1;
    let lineStart = 0;
    for (let i = 0; i < index; i += 1) {
      if (this.bytes[i] === 0x0a) {
        line += 1;
        lineStart = i + 1;
      }
    }
    return { line, column: index - lineStart };
  }

  position(): { line: number; column: number } {
    return this.positionOf(this.index);
  }

  /** An error at the current position (serde_json's `Deserializer::error`). */
  error(message: string): SerdeError {
    const { line, column } = this.position();
    return new SerdeError(message, line, column);
  }

  /** An error at the byte about to be read (serde_json's `peek_error`). */
  peekError(message: string): SerdeError {
    const { line, column } = this.positionOf(Math.min(this.index + 1, this.bytes.length));
    return new SerdeError(message, line, column);
  }

  peek(): number | undefined {
    return this.bytes[this.index];
  }

  eat(): void {
    this.index += 1;
  }

  next(): number | undefined {
    const byte = this.bytes[this.index];
    if (byte !== undefined) {
      this.index += 1;
    }
    return byte;
  }

  /** Skips whitespace and returns the next byte without consuming it. */
  parseWhitespace(): number | undefined {
    for (;;) {
      const byte = this.bytes[this.index];
      if (byte === undefined || !isWhitespace(byte)) {
        return byte;
      }
      this.index += 1;
    }
  }

  /** Consumes the rest of a keyword (`ull` after `n`, …). */
  parseIdent(rest: string): void {
    for (let i = 0; i < rest.length; i += 1) {
      const byte = this.next();
      if (byte === undefined) {
        throw this.error(SERDE_CODES.eofValue);
      }
      if (byte !== rest.codePointAt(i)) {
        throw this.error(SERDE_CODES.expectedSomeIdent);
      }
    }
  }

  /** Enters an array or object, as serde_json's `check_recursion!` does. */
  enterNested(): void {
    this.remainingDepth -= 1;
    if (this.remainingDepth === 0) {
      throw this.peekError(SERDE_CODES.recursionLimitExceeded);
    }
    this.eat();
  }

  leaveNested(): void {
    this.remainingDepth += 1;
  }

  private decodeSegment(start: number, end: number): string {
    try {
      return utf8.decode(this.bytes.subarray(start, end));
    } catch {
      throw this.error(SERDE_CODES.invalidUnicodeCodePoint);
    }
  }

  private decodeHexEscape(): number {
    if (this.index + 4 > this.bytes.length) {
      this.index = this.bytes.length;
      throw this.error(SERDE_CODES.eofString);
    }
    const text = Buffer.from(this.bytes.subarray(this.index, this.index + 4)).toString('latin1');
    this.index += 4;
    if (!/^[0-9a-fA-F]{4}$/u.test(text)) {
      throw this.error(SERDE_CODES.invalidEscape);
    }
    return Number.parseInt(text, 16);
  }

  private parseUnicodeEscape(): string {
    const first = this.decodeHexEscape();
    if (first >= 0xdc00 && first <= 0xdfff) {
      throw this.error(SERDE_CODES.loneLeadingSurrogate);
    }
    if (first < 0xd800 || first > 0xdbff) {
      return String.fromCodePoint(first);
    }
    for (const expected of [BACKSLASH, 0x75]) {
      const byte = this.peek();
      if (byte === undefined) {
        throw this.peekError(SERDE_CODES.eofString);
      }
      this.eat();
      if (byte !== expected) {
        throw this.error(SERDE_CODES.unexpectedEndOfHexEscape);
      }
    }
    const second = this.decodeHexEscape();
    if (second < 0xdc00 || second > 0xdfff) {
      throw this.error(SERDE_CODES.loneLeadingSurrogate);
    }
    return String.fromCodePoint(((first - 0xd800) << 10) + (second - 0xdc00) + 0x1_0000);
  }

  /** Parses a string whose opening quote has been consumed. */
  parseString(): string {
    let out = '';
    let start = this.index;
    for (;;) {
      const byte = this.bytes[this.index];
      if (byte === undefined) {
        throw this.error(SERDE_CODES.eofString);
      }
      if (byte === QUOTE) {
        const end = this.index;
        this.index += 1;
        return out + this.decodeSegment(start, end);
      }
      if (byte === BACKSLASH) {
        out += this.decodeSegment(start, this.index);
        this.index += 1;
        const escape = this.next();
        if (escape === undefined) {
          throw this.error(SERDE_CODES.eofString);
        }
        const simple = SIMPLE_ESCAPES.get(escape);
        if (simple !== undefined) {
          out += simple;
        } else if (escape === 0x75) {
          out += this.parseUnicodeEscape();
        } else {
          throw this.error(SERDE_CODES.invalidEscape);
        }
        start = this.index;
        continue;
      }
      this.index += 1;
      if (byte < 0x20) {
        throw this.error(SERDE_CODES.controlCharacter);
      }
    }
  }

  private requireDigits(): void {
    if (!isDigit(this.peek())) {
      throw this.peekError(
        this.peek() === undefined ? SERDE_CODES.eofValue : SERDE_CODES.invalidNumber,
      );
    }
    while (isDigit(this.peek())) {
      this.eat();
    }
  }

  private parseFloatFrom(start: number): ParsedNumber {
    const value = Number(Buffer.from(this.bytes.subarray(start, this.index)).toString('latin1'));
    if (!Number.isFinite(value)) {
      throw this.error(SERDE_CODES.numberOutOfRange);
    }
    return { kind: 'f64', value };
  }

  /**
   * Parses a number after its optional `-` was consumed (`start` is where the number began,
   * sign included), classifying it as serde_json does: u64, negative i64, else f64.
   */
  parseNumber(positive: boolean, start: number): ParsedNumber {
    const first = this.next();
    if (first === undefined) {
      throw this.error(SERDE_CODES.eofValue);
    }
    if (first === ZERO) {
      if (isDigit(this.peek())) {
        throw this.peekError(SERDE_CODES.invalidNumber);
      }
    } else if (isDigit(first)) {
      while (isDigit(this.peek())) {
        this.eat();
      }
    } else {
      throw this.error(SERDE_CODES.invalidNumber);
    }
    const integerEnd = this.index;
    let isFloat = false;
    if (this.peek() === DOT) {
      this.eat();
      this.requireDigits();
      isFloat = true;
    }
    const exponent = this.peek();
    if (exponent === 0x65 || exponent === 0x45) {
      this.eat();
      const sign = this.peek();
      if (sign === 0x2b || sign === MINUS) {
        this.eat();
      }
      this.requireDigits();
      isFloat = true;
    }
    if (isFloat) {
      return this.parseFloatFrom(start);
    }
    const magnitude = BigInt(
      Buffer.from(this.bytes.subarray(positive ? start : start + 1, integerEnd)).toString('latin1'),
    );
    if (positive) {
      return magnitude <= U64_MAX ? { kind: 'u64', value: magnitude } : this.parseFloatFrom(start);
    }
    // serde_json turns `-0` into a float, and so anything below i64::MIN.
    return magnitude === 0n || magnitude > I64_MIN_MAGNITUDE
      ? this.parseFloatFrom(start)
      : { kind: 'i64', value: -magnitude };
  }

  /** The end of a document: only whitespace may follow the value. */
  end(): void {
    if (this.parseWhitespace() !== undefined) {
      throw this.peekError(SERDE_CODES.trailingCharacters);
    }
  }

  /** serde_json's `end_seq` after a visitor has consumed a sequence's elements. */
  endSeq(): void {
    const byte = this.parseWhitespace();
    if (byte === 0x5d) {
      this.eat();
      return;
    }
    if (byte === 0x2c) {
      this.eat();
      throw this.peekError(
        this.parseWhitespace() === 0x5d
          ? SERDE_CODES.trailingComma
          : SERDE_CODES.trailingCharacters,
      );
    }
    throw this.peekError(byte === undefined ? SERDE_CODES.eofList : SERDE_CODES.trailingCharacters);
  }

  /** serde_json's `end_map` after a visitor has consumed a map's entries. */
  endMap(): void {
    const byte = this.parseWhitespace();
    if (byte === 0x7d) {
      this.eat();
      return;
    }
    throw this.peekError(
      byte === 0x2c
        ? SERDE_CODES.trailingComma
        : byte === undefined
          ? SERDE_CODES.eofObject
          : SERDE_CODES.trailingCharacters,
    );
  }

  /** serde_json's `parse_object_colon`. */
  parseObjectColon(): void {
    const byte = this.parseWhitespace();
    if (byte === 0x3a) {
      this.eat();
      return;
    }
    throw this.peekError(byte === undefined ? SERDE_CODES.eofObject : SERDE_CODES.expectedColon);
  }

  /**
   * Advances to the next element of a sequence (`first` is whether none was read yet); returns
   * false at `]`, which is left for `endSeq`.
   */
  nextElement(first: boolean): boolean {
    let byte = this.parseWhitespace();
    if (byte === 0x5d) {
      return false;
    }
    if (byte === 0x2c && !first) {
      this.eat();
      byte = this.parseWhitespace();
    } else if (byte !== undefined && !first) {
      throw this.peekError(SERDE_CODES.expectedListCommaOrEnd);
    } else if (byte === undefined) {
      throw this.peekError(SERDE_CODES.eofList);
    }
    if (byte === 0x5d) {
      throw this.peekError(SERDE_CODES.trailingComma);
    }
    if (byte === undefined) {
      throw this.peekError(SERDE_CODES.eofValue);
    }
    return true;
  }

  /**
   * Reads the next key of a map (`first` is whether none was read yet); returns undefined at `}`,
   * which is left for `endMap`.
   */
  nextKey(first: boolean): string | undefined {
    let byte = this.parseWhitespace();
    if (byte === 0x7d) {
      return undefined;
    }
    if (byte === 0x2c && !first) {
      this.eat();
      byte = this.parseWhitespace();
    } else if (byte !== undefined && !first) {
      throw this.peekError(SERDE_CODES.expectedObjectCommaOrEnd);
    } else if (byte === undefined) {
      throw this.peekError(SERDE_CODES.eofObject);
    }
    if (byte === QUOTE) {
      this.eat();
      return this.parseString();
    }
    throw this.peekError(
      byte === 0x7d
        ? SERDE_CODES.trailingComma
        : byte === undefined
          ? SERDE_CODES.eofValue
          : SERDE_CODES.keyMustBeAString,
    );
  }
}
