// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { describe, expect, it } from 'vitest';
import { formatRustChar, formatRustDebug, formatRustString, fromJson } from './debug-format.js';

describe('formatRustString', () => {
  it('quotes and escapes as Debug does', () => {
    expect(formatRustString('a"b\\c\n\u0001é')).toBe(String.raw`"a\"b\\c\n\u{1}é"`);
    expect(formatRustChar('_')).toBe("'_'");
    expect(formatRustChar("'")).toBe(String.raw`'\''`);
  });
});

describe('formatRustDebug', () => {
  it('pretty-prints nested structs, maps and lists with four-space indents', () => {
    const value = {
      struct: 'State',
      fields: [
        ['count', 2],
        ['kind', { token: 'Full' }],
        ['config', fromJson({ 'machine-config': { vcpu_count: 1 }, drives: [] })],
        ['items', { list: [true, null] }],
        ['empty', { struct: 'Unit', fields: [] }],
      ],
    } as const;
    expect(formatRustDebug(value)).toBe(
      [
        'State {',
        '    count: 2,',
        '    kind: Full,',
        '    config: {',
        '        "machine-config": {',
        '            "vcpu_count": 1,',
        '        },',
        '        "drives": [],',
        '    },',
        '    items: [',
        '        true,',
        '        None,',
        '    ],',
        '    empty: Unit,',
        '}',
      ].join('\n'),
    );
  });
});
