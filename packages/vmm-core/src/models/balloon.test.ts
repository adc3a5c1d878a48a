// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { describe, expect, it } from 'vitest';
import {
  balloonHintingStartSchema,
  balloonHintingStatusSchema,
  balloonSchema,
  balloonStatsSchema,
  balloonStatsUpdateSchema,
  balloonUpdateSchema,
} from './balloon.js';

describe('balloonSchema', () => {
  it('accepts the required fields, and every optional one', () => {
    expect(balloonSchema.parse({ amount_mib: 0, deflate_on_oom: true })).toEqual({
      amount_mib: 0,
      deflate_on_oom: true,
    });
    const full = {
      amount_mib: 64,
      deflate_on_oom: false,
      stats_polling_interval_s: 1,
      free_page_hinting: true,
      free_page_reporting: true,
    };
    expect(balloonSchema.parse(full)).toEqual(full);
  });

  it.each([
    [{ amount_mib: 2 ** 32 - 1, deflate_on_oom: true }, true],
    [{ amount_mib: 2 ** 32, deflate_on_oom: true }, false],
    [{ amount_mib: -1, deflate_on_oom: true }, false],
    [{ amount_mib: 1, deflate_on_oom: true, stats_polling_interval_s: 65_535 }, true],
    [{ amount_mib: 1, deflate_on_oom: true, stats_polling_interval_s: 65_536 }, false],
  ])('checks the u32 amount and u16 interval: %j accepted %s', (value, ok) => {
    expect(balloonSchema.safeParse(value).success).toBe(ok);
  });

  it('requires amount_mib and deflate_on_oom, and rejects unknown fields', () => {
    expect(balloonSchema.safeParse({ amount_mib: 1 }).success).toBe(false);
    expect(balloonSchema.safeParse({ deflate_on_oom: true }).success).toBe(false);
    expect(
      balloonSchema.safeParse({ amount_mib: 1, deflate_on_oom: true, hinting: 1 }).success,
    ).toBe(false);
  });
});

describe('balloonUpdateSchema', () => {
  it('accepts amount_mib alone and rejects stats_polling_interval_s, which the doc wrongly sends', () => {
    expect(balloonUpdateSchema.safeParse({ amount_mib: 10 }).success).toBe(true);
    const result = balloonUpdateSchema.safeParse({ amount_mib: 10, stats_polling_interval_s: 1 });
    expect(result.error?.issues[0]?.message).toContain('unknown field "stats_polling_interval_s"');
  });
});

describe('balloonStatsUpdateSchema', () => {
  it('requires a u16 interval and nothing else', () => {
    expect(balloonStatsUpdateSchema.safeParse({ stats_polling_interval_s: 5 }).success).toBe(true);
    expect(balloonStatsUpdateSchema.safeParse({}).success).toBe(false);
    expect(balloonStatsUpdateSchema.safeParse({ stats_polling_interval_s: 70_000 }).success).toBe(
      false,
    );
  });
});

describe('balloonHintingStartSchema', () => {
  it('accepts an empty body and acknowledge_on_stop, and drops unknown fields as Firecracker does', () => {
    expect(balloonHintingStartSchema.parse({})).toEqual({});
    expect(balloonHintingStartSchema.parse({ acknowledge_on_stop: false, x: 1 })).toEqual({
      acknowledge_on_stop: false,
    });
    expect(balloonHintingStartSchema.safeParse({ acknowledge_on_stop: 'no' }).success).toBe(false);
  });
});

describe('balloonHintingStatusSchema', () => {
  it('reads a status whose guest_cmd is null or a number', () => {
    expect(balloonHintingStatusSchema.parse({ host_cmd: 2, guest_cmd: null })).toEqual({
      host_cmd: 2,
      guest_cmd: null,
    });
    expect(balloonHintingStatusSchema.safeParse({ host_cmd: 2, guest_cmd: 1 }).success).toBe(true);
    expect(balloonHintingStatusSchema.safeParse({ guest_cmd: 1 }).success).toBe(false);
  });
});

describe('balloonStatsSchema', () => {
  const required = { target_pages: 256, actual_pages: 0, target_mib: 1, actual_mib: 0 };

  it('reads the four required counts, and guest statistics when present', () => {
    expect(balloonStatsSchema.parse(required)).toEqual(required);
    const withGuest = { ...required, free_memory: 123_456_789_012, oom_kill: 0, swap_in: 5 };
    expect(balloonStatsSchema.parse(withGuest)).toEqual(withGuest);
  });

  it('keeps unknown fields of a newer Firecracker and rejects a missing count', () => {
    expect(balloonStatsSchema.parse({ ...required, new_stat: 1 })).toEqual({
      ...required,
      new_stat: 1,
    });
    const { actual_mib: _, ...missing } = required;
    expect(balloonStatsSchema.safeParse(missing).success).toBe(false);
  });
});
