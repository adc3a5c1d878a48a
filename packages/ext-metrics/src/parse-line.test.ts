// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { describe, expect, it } from 'vitest';
import { parseMetricsLine } from './parse-line.js';

const LINE =
  '{"utc_timestamp_ms":1700000000123,"api_server":{"process_startup_time_us":812},' +
  '"vcpu":{"exit_io_in":3,"exit_io_in_agg":{"min_us":1,"max_us":9,"sum_us":14}},' +
  '"block_rootfs":{"read_bytes":4096},"id":"vm-1","properties":{"team":"a"}}';

describe('parseMetricsLine', () => {
  it('reads a line into groups, with nested aggregates flattened and other keys kept aside', () => {
    expect(parseMetricsLine(LINE)).toEqual([
      {
        type: 'record',
        timestampMs: 1_700_000_000_123,
        groups: {
          api_server: { process_startup_time_us: 812 },
          vcpu: {
            exit_io_in: 3,
            'exit_io_in_agg.min_us': 1,
            'exit_io_in_agg.max_us': 9,
            'exit_io_in_agg.sum_us': 14,
          },
          block_rootfs: { read_bytes: 4096 },
        },
        totals: undefined,
        other: { id: 'vm-1', properties: { team: 'a' } },
      },
    ]);
  });

  it('keeps a group and fields it does not know, and takes a line without a timestamp', () => {
    const [entry] = parseMetricsLine('{"future_group":{"new_field":7,"label":"x"},"vmm":{}}');
    expect(entry).toMatchObject({
      type: 'record',
      timestampMs: undefined,
      groups: { future_group: { new_field: 7 }, vmm: {} },
    });
  });

  it('reports a line cut short by a writer that died as torn', () => {
    expect(parseMetricsLine(LINE.slice(0, 60), false)).toEqual([
      { type: 'malformed', reason: 'torn', text: LINE.slice(0, 60) },
    ]);
  });

  it('splits a torn line that ran into a whole one, and reads the whole one', () => {
    const entries = parseMetricsLine(`${LINE.slice(0, 50)}${LINE}`);
    expect(entries.map((entry) => entry.type)).toEqual(['malformed', 'record']);
    expect(entries[0]).toEqual({ type: 'malformed', reason: 'torn', text: LINE.slice(0, 50) });
    expect(entries[1]).toMatchObject({ timestampMs: 1_700_000_000_123 });
  });

  it('reports garbage and a JSON value that is not an object as invalid', () => {
    expect(parseMetricsLine('not json at all')).toEqual([
      { type: 'malformed', reason: 'invalid', text: 'not json at all' },
    ]);
    expect(parseMetricsLine('[1,2]')).toEqual([
      { type: 'malformed', reason: 'invalid', text: '[1,2]' },
    ]);
  });

  it('skips empty lines and keeps at most 4 KiB of a malformed one', () => {
    expect(parseMetricsLine('  ')).toEqual([]);
    expect(parseMetricsLine('x'.repeat(10_000))).toEqual([
      { type: 'malformed', reason: 'invalid', text: 'x'.repeat(4096) },
    ]);
  });
});
