// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { describe, expect, it } from 'vitest';
import {
  ACTION,
  BALLOON,
  LOGGER,
  MACHINE_CONFIG,
  MMDS_CONFIG,
  NETWORK_INTERFACE,
  SNAPSHOT_LOAD,
  TOKEN_BUCKET,
} from '../api-models.js';
import { deserializeBody, type Schema } from './deserialize.js';
import { JsonReader } from './json-reader.js';
import { mergePatch, parseJsonValue, stringifyJsonValue } from './json-value.js';
import { formatRustDebugString, formatRyu } from './rust-format.js';

const errorOf = (schema: Schema, body: string): string => {
  const result = deserializeBody(schema, Buffer.from(body));
  if (result.ok) {
    throw new Error(`expected ${body} to fail`);
  }
  return result.error.describe();
};

const MACHINE_FIELDS =
  'expected one of `vcpu_count`, `mem_size_mib`, `smt`, `cpu_template`, `track_dirty_pages`, `huge_pages`';

describe('deserializeBody (serde_json + serde derive messages)', () => {
  it.each([
    [MACHINE_CONFIG, '{"x":1}', `unknown field \`x\`, ${MACHINE_FIELDS} at line 1 column 4`],
    [MACHINE_CONFIG, '{"x" :1}', `unknown field \`x\`, ${MACHINE_FIELDS} at line 1 column 5`],
    [MACHINE_CONFIG, '{"vcpu_count":1}', 'missing field `mem_size_mib` at line 1 column 16'],
    [MACHINE_CONFIG, '{\n  "vcpu_count": 1\n}', 'missing field `mem_size_mib` at line 3 column 1'],
    [
      MACHINE_CONFIG,
      '{"vcpu_count": 300, "mem_size_mib": 1}',
      'invalid value: integer `300`, expected u8 at line 1 column 18',
    ],
    [
      MACHINE_CONFIG,
      '{"vcpu_count": -1, "mem_size_mib": 1}',
      'invalid value: integer `-1`, expected u8 at line 1 column 17',
    ],
    [
      MACHINE_CONFIG,
      '{"vcpu_count": "2", "mem_size_mib": 1}',
      'invalid type: string "2", expected u8 at line 1 column 18',
    ],
    [
      MACHINE_CONFIG,
      '{"vcpu_count": 1.5, "mem_size_mib": 1}',
      'invalid type: floating point `1.5`, expected u8 at line 1 column 18',
    ],
    [
      MACHINE_CONFIG,
      '{"vcpu_count": null, "mem_size_mib": 1}',
      'invalid type: null, expected u8 at line 1 column 19',
    ],
    [
      MACHINE_CONFIG,
      '{"vcpu_count": [1], "mem_size_mib": 1}',
      'invalid type: sequence, expected u8 at line 1 column 15',
    ],
    [
      MACHINE_CONFIG,
      '{"vcpu_count": 1, "vcpu_count": 2, "mem_size_mib": 1}',
      'duplicate field `vcpu_count` at line 1 column 30',
    ],
    [
      MACHINE_CONFIG,
      '{"vcpu_count": 1, "mem_size_mib": 1, "huge_pages": "Transparent"}',
      'unknown variant `Transparent`, expected `None` or `2M` at line 1 column 64',
    ],
    [
      MACHINE_CONFIG,
      '{"vcpu_count": 1, "mem_size_mib": 1, "smt": 1}',
      'invalid type: integer `1`, expected a boolean at line 1 column 45',
    ],
    [
      MACHINE_CONFIG,
      '"x"',
      'invalid type: string "x", expected struct MachineConfig at line 1 column 3',
    ],
    [
      MACHINE_CONFIG,
      '[]',
      'invalid length 0, expected struct MachineConfig with 6 elements at line 1 column 2',
    ],
    [MACHINE_CONFIG, '{', 'EOF while parsing an object at line 1 column 1'],
    [MACHINE_CONFIG, '{"vcpu_count":1,}', 'trailing comma at line 1 column 17'],
    [MACHINE_CONFIG, '{"vcpu_count" 1}', 'expected `:` at line 1 column 15'],
    [MACHINE_CONFIG, '{1:2}', 'key must be a string at line 1 column 2'],
    [
      MACHINE_CONFIG,
      '{"vcpu_count":1,"mem_size_mib":2} x',
      'trailing characters at line 1 column 35',
    ],
    [MACHINE_CONFIG, '{"vcpu_count":01}', 'invalid number at line 1 column 16'],
    [
      ACTION,
      '{"action_type":"Foo"}',
      'unknown variant `Foo`, expected one of `FlushMetrics`, `InstanceStart`, `SendCtrlAltDel` at line 1 column 20',
    ],
    [ACTION, '{"action_type":5}', 'expected value at line 1 column 16'],
    [
      NETWORK_INTERFACE,
      '{"iface_id":"a","host_dev_name":"b","guest_mac":"zz"}',
      'The provided MAC address is invalid. at line 1 column 53',
    ],
    [LOGGER, '{"level":"loud", "show_level": true}', 'Invalid LevelFilter at line 1 column 15'],
    [
      MMDS_CONFIG,
      '{"network_interfaces":["a"],"ipv4_address":"1.2.3"}',
      'invalid IPv4 address syntax at line 1 column 50',
    ],
    [BALLOON, '{"amount_mib": 1}', 'missing field `deflate_on_oom` at line 1 column 17'],
    [
      SNAPSHOT_LOAD,
      '{"snapshot_path": 1}',
      'invalid type: integer `1`, expected path string at line 1 column 19',
    ],
    [
      MACHINE_CONFIG,
      '{"vcpu_count": 18446744073709551616, "mem_size_mib": 1}',
      'invalid type: floating point `1.8446744073709552e19`, expected u8 at line 1 column 35',
    ],
    [MACHINE_CONFIG, '{"vcpu_count": "a\\qb"}', 'invalid escape at line 1 column 19'],
  ])('%#: %s → %s', (schema, body, message) => {
    expect(errorOf(schema, body)).toBe(message);
  });

  it('accepts unknown fields where serde does not deny them, and fills what was given', () => {
    const result = deserializeBody(
      TOKEN_BUCKET,
      Buffer.from('{"size":10,"refill_time":5,"x":[1,{"y":null}]}'),
    );
    expect(result).toEqual({ ok: true, value: { size: 10, refill_time: 5 } });
  });

  it('treats a missing Option field as absent and null as null', () => {
    const result = deserializeBody(
      NETWORK_INTERFACE,
      Buffer.from('{"iface_id":"a","host_dev_name":"b","guest_mac":null}'),
    );
    expect(result).toEqual({
      ok: true,
      value: { iface_id: 'a', host_dev_name: 'b', guest_mac: null },
    });
  });
});

const parse = (text: string) => parseJsonValue(new JsonReader(Buffer.from(text)));
const roundTrip = (text: string): string => stringifyJsonValue(parse(text));

describe('JSON values', () => {
  it('prints like serde_json: sorted keys, floats with ryu, integers exact', () => {
    expect(
      roundTrip('{"b": 1.0, "a": [1e2, -0, 18446744073709551615, "x\\u00e9"], "10": true}'),
    ).toBe('{"10":true,"a":[100.0,-0.0,18446744073709551615,"xé"],"b":1.0}');
  });

  it('merges an RFC 7396 patch', () => {
    const merged = mergePatch(
      parse('{"a":{"b":1,"c":2},"d":3}'),
      parse('{"a":{"b":null,"e":4},"d":[1]}'),
    );
    expect(stringifyJsonValue(merged)).toBe('{"a":{"c":2,"e":4},"d":[1]}');
  });
});

describe('Rust formatting', () => {
  it.each([
    [1, '1.0'],
    [1.5, '1.5'],
    [100, '100.0'],
    [1e16, '1e16'],
    [1e15, '1000000000000000.0'],
    [0.001, '0.001'],
    [1e-5, '0.00001'],
    [1e-6, '1e-6'],
    [1.5e-7, '1.5e-7'],
    [-2.5, '-2.5'],
    [123_456.789, '123456.789'],
  ])('ryu formats %d as %s', (input, output) => {
    expect(formatRyu(input)).toBe(output);
  });

  it('quotes strings like {:?}', () => {
    expect(formatRustDebugString('a"b\\c\nd\u0001')).toBe('"a\\"b\\\\c\\nd\\u{1}"');
  });
});
