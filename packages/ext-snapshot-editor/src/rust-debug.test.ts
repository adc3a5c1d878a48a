// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { describe, expect, it } from 'vitest';
import { RustDebugSyntaxError, parseRustDebug } from './rust-debug.js';

describe('parseRustDebug', () => {
  it('reads a pretty struct with nested structs, lists, options and units', () => {
    const text = [
      'VmInfo {',
      '    mem_size_mib: 128,',
      '    smt: false,',
      '    cpu_template: None,',
      '    boot_source: BootSourceConfig {',
      '        kernel_image_path: "/work/fc/guest/vmlinux",',
      '        initrd_path: Some(',
      '            "/initrd.cpio.gz",',
      '        ),',
      '    },',
      '    entries: __IncompleteArrayField,',
      '    padding: [',
      '        0,',
      '        1,',
      '    ],',
      '    kvm_cap_modifiers: [],',
      '}',
      '',
    ].join('\n');
    expect(parseRustDebug(text)).toEqual({
      $type: 'VmInfo',
      mem_size_mib: 128,
      smt: false,
      cpu_template: null,
      boot_source: {
        $type: 'BootSourceConfig',
        kernel_image_path: '/work/fc/guest/vmlinux',
        initrd_path: '/initrd.cpio.gz',
      },
      entries: { $type: '__IncompleteArrayField' },
      padding: [0, 1],
      kvm_cap_modifiers: [],
    });
  });

  it('reads the compact form, tuple structs, tuples and maps', () => {
    expect(parseRustDebug('Wrap(GuestAddress(4096), (1, "a"), {"k": [true]})')).toEqual({
      $type: 'Wrap',
      $fields: [
        { $type: 'GuestAddress', $fields: [4096] },
        [1, 'a'],
        { $entries: [['k', [true]]] },
      ],
    });
    expect(parseRustDebug('Opaque { .. }')).toEqual({ $type: 'Opaque' });
    expect(parseRustDebug('Opaque {\n    a: 1,\n    ..\n}')).toEqual({ $type: 'Opaque', a: 1 });
  });

  it('keeps integers beyond 2^53 exact as bigints, and reads hex, negatives and floats', () => {
    expect(
      parseRustDebug(
        '[18446744071612720510, 9007199254740991, -5, 0xffffffff81e00000, 0x246, 1.5, -2e3, inf, NaN]',
      ),
    ).toEqual([
      18_446_744_071_612_720_510n,
      9_007_199_254_740_991,
      -5,
      0xff_ff_ff_ff_81_e0_00_00n,
      0x2_46,
      1.5,
      -2000,
      Number.POSITIVE_INFINITY,
      Number.NaN,
    ]);
  });

  it('reads an identifier that starts like a number word as a unit', () => {
    expect(parseRustDebug('[information, NaNa]')).toEqual([
      { $type: 'information' },
      { $type: 'NaNa' },
    ]);
  });

  it('unescapes strings and chars as Rust escapes them', () => {
    expect(parseRustDebug(String.raw`["a\"b\\c\n\t\r\0\u{1b}é", 'x', '\'']`)).toEqual([
      'a"b\\c\n\t\r\0\u001Bé',
      'x',
      "'",
    ]);
  });

  it('reads Some(None) as null and a two-field Some as a tuple struct', () => {
    expect(parseRustDebug('Some(None)')).toBeNull();
    expect(parseRustDebug('Some(1, 2)')).toEqual({ $type: 'Some', $fields: [1, 2] });
  });

  it.each([
    ['', 'unexpected end of text at offset 0'],
    ['Foo {', 'expected a field name at offset 5'],
    ['[1 2]', 'expected "," or "]" at offset 3'],
    ['"open', 'unterminated string at offset 5'],
    [String.raw`"\q"`, String.raw`unknown escape \q at offset 3`],
    ['1 2', 'unexpected "2" at offset 2'],
    ['Foo { a 1 }', 'expected ":" at offset 8'],
    ['#', 'unexpected "#" at offset 0'],
  ])('refuses %j: %s', (text, message) => {
    const parse = () => parseRustDebug(text);
    expect(parse).toThrow(RustDebugSyntaxError);
    expect(parse).toThrow(message);
  });
});
