// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { parseInput } from './parse-input.js';

class InputError extends Error {
  readonly code = 'ERR_INVALID_INPUT';
}
const createError = (message: string, options: ErrorOptions) => new InputError(message, options);

const schema = z.strictObject({
  timeoutMs: z.number().int().positive().optional(),
  machine: z.strictObject({ vcpu_count: z.number() }).optional(),
  drives: z.array(z.strictObject({ drive_id: z.string() })).default([]),
});

const failureOf = (value: unknown): InputError => {
  try {
    parseInput(schema, value, 'options', createError);
  } catch (error) {
    return error as InputError;
  }
  throw new Error('expected parseInput to throw');
};

describe('parseInput', () => {
  it('returns the parsed value, defaults applied', () => {
    expect(parseInput(schema, { timeoutMs: 5 }, 'options', createError)).toEqual({
      timeoutMs: 5,
      drives: [],
    });
  });

  it("throws the layer's error: subject.path, the rule and the value, zod's error as cause", () => {
    const error = failureOf({ timeoutMs: -1, drives: [{ drive_id: 7 }] });
    expect(error).toBeInstanceOf(InputError);
    expect(error.message).toBe(
      [
        'options.timeoutMs: Too small: expected number to be >0, got -1',
        'options.drives[0].drive_id: Invalid input: expected string, received number, got 7',
      ].join('\n'),
    );
    expect(error.cause).toBeInstanceOf(z.ZodError);
  });

  it('names the key an unknown key most likely meant, at any depth', () => {
    expect(failureOf({ timeout: 5 }).message).toBe(
      'options.timeout: unknown key; did you mean timeoutMs?',
    );
    expect(failureOf({ machine: { vcpuCount: 2, vcpu_count: 2 } }).message).toBe(
      'options.machine.vcpuCount: unknown key; did you mean vcpu_count?',
    );
    expect(failureOf({ drives: [{ drive_id: 'a', drive_idd: 'b' }] }).message).toBe(
      'options.drives[0].drive_idd: unknown key; did you mean drive_id?',
    );
  });

  it('names five unknown keys and counts the rest: a string spread into options stays short', () => {
    const error = failureOf({ ...('../'.repeat(30_000) as unknown as object) });
    const lines = error.message.split('\n');
    expect(lines).toHaveLength(6);
    expect(lines[0]).toMatch(/^options\.0: unknown key/u);
    expect(lines[5]).toBe('options: 89995 more unknown keys');
    // A key is named in full, however long: the message names the field it refuses.
    const key = 'k'.repeat(70_000);
    expect(failureOf({ [key]: 1 }).message).toBe(
      `options.${key}: unknown key; the keys here are timeoutMs, machine, drives`,
    );
  });

  it('names twenty problems at most, then how many more there are', () => {
    const drives = Array.from({ length: 1000 }, () => ({ drive_id: 7 }));
    const lines = failureOf({ drives }).message.split('\n');
    expect(lines).toHaveLength(21);
    expect(lines[19]).toMatch(/^options\.drives\[19\]\.drive_id: /u);
    expect(lines[20]).toBe('options: 980 more problems');
  });

  it("shows a custom issue's value as it asks (a secret is never echoed)", () => {
    const secret = z.string().superRefine((value, context) => {
      context.addIssue({
        code: 'custom',
        message: 'expected one line',
        input: value,
        params: { shown: 'a string with a line break' },
      });
    });
    expect(() => parseInput(secret, 'a\nb', 'options.password', createError)).toThrow(
      'options.password: expected one line, got a string with a line break',
    );
  });

  it("keeps a schema's own message for unknown keys", () => {
    const own = z.strictObject({ id: z.string() }, { error: 'no extra fields here' });
    expect(() => parseInput(own, { id: 'a', ib: 1 }, 'body', createError)).toThrow(
      'body: no extra fields here, got {"id":"a","ib":1}',
    );
  });

  it('lists the allowed keys when no key is close', () => {
    expect(failureOf({ zzz: 1 }).message).toBe(
      'options.zzz: unknown key; the keys here are timeoutMs, machine, drives',
    );
  });
});
