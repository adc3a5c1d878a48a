// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

/**
 * Formats an f64 as the `ryu` crate does (serde_json prints floats with it): shortest round-trip
 * digits, always with a fraction or an exponent (`1.0`, `1e20`, `1.5e-7`, `0.001`).
 */
export const formatRyu = (value: number): string => {
  if (value === 0) {
    return Object.is(value, -0) ? '-0.0' : '0.0';
  }
  const sign = value < 0 ? '-' : '';
  const [mantissa = '0', exponentText = '0'] = Math.abs(value).toExponential().split('e');
  const digits = mantissa.replace('.', '');
  const length = digits.length;
  // `kk` is where the decimal point goes relative to the first digit; `k` the exponent of the last.
  const kk = Number(exponentText) + 1;
  const k = kk - length;
  if (k >= 0 && kk <= 16) {
    return `${sign}${digits}${'0'.repeat(k)}.0`;
  }
  if (kk > 0 && kk <= 16) {
    return `${sign}${digits.slice(0, kk)}.${digits.slice(kk)}`;
  }
  if (kk > -5 && kk <= 0) {
    return `${sign}0.${'0'.repeat(-kk)}${digits}`;
  }
  const exponent = kk - 1;
  return length === 1
    ? `${sign}${digits}e${exponent}`
    : `${sign}${digits.slice(0, 1)}.${digits.slice(1)}e${exponent}`;
};

const DEBUG_ESCAPES: Readonly<Record<string, string>> = {
  '\0': '\\0',
  '\t': '\\t',
  '\n': '\\n',
  '\r': '\\r',
  '"': '\\"',
  '\\': '\\\\',
};

/** Formats a string as Rust's `{:?}` does: quoted, with `\n`, `\"`, `\u{1b}`-style escapes. */
export const formatRustDebugString = (text: string): string => {
  let out = '"';
  for (const char of text) {
    const escaped = DEBUG_ESCAPES[char];
    if (escaped !== undefined) {
      out += escaped;
      continue;
    }
    const code = char.codePointAt(0) ?? 0;
    out += code < 0x20 || code === 0x7f ? `\\u{${code.toString(16)}}` : char;
  }
  return `${out}"`;
};
