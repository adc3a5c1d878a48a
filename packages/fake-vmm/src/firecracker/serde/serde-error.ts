// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

/**
 * A serde_json error: the message, and the line/column where serde_json reports it (line 0 until
 * a caller fixes the position, exactly as `Error::fix_position` does in serde_json).
 */
export class SerdeError extends Error {
  static {
    this.prototype.name = 'SerdeError';
  }

  line: number;
  column: number;

  constructor(message: string, line = 0, column = 0) {
    super(message);
    this.line = line;
    this.column = column;
  }

  /** Sets the position only if none is set yet (serde_json's `fix_position`). */
  fixPosition(position: { readonly line: number; readonly column: number }): this {
    if (this.line === 0) {
      this.line = position.line;
      this.column = position.column;
    }
    return this;
  }

  /** serde_json's `Display`: the message, then ` at line L column C` once positioned. */
  describe(): string {
    return this.line === 0
      ? this.message
      : `${this.message} at line ${this.line} column ${this.column}`;
  }
}

/** serde_json's `ErrorCode` texts. */
export const SERDE_CODES = {
  eofList: 'EOF while parsing a list',
  eofObject: 'EOF while parsing an object',
  eofString: 'EOF while parsing a string',
  eofValue: 'EOF while parsing a value',
  expectedColon: 'expected `:`',
  expectedListCommaOrEnd: 'expected `,` or `]`',
  expectedObjectCommaOrEnd: 'expected `,` or `}`',
  expectedSomeIdent: 'expected ident',
  expectedSomeValue: 'expected value',
  invalidEscape: 'invalid escape',
  invalidNumber: 'invalid number',
  numberOutOfRange: 'number out of range',
  invalidUnicodeCodePoint: 'invalid unicode code point',
  controlCharacter: 'control character (\\u0000-\\u001F) found while parsing a string',
  keyMustBeAString: 'key must be a string',
  loneLeadingSurrogate: 'lone leading surrogate in hex escape',
  trailingComma: 'trailing comma',
  trailingCharacters: 'trailing characters',
  unexpectedEndOfHexEscape: 'unexpected end of hex escape',
  recursionLimitExceeded: 'recursion limit exceeded',
} as const;
