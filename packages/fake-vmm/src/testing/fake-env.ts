// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import path from 'node:path';
import { FAKE_ENV, type FakeEnvOptions, formatFakeEnv, parseFakeEnv } from '../faults/env.js';
import { FakeVmmError } from '../firecracker/errors.js';

/** Every switch of the fakes as typed options: the fake Firecracker's, and the fake jailer's. */
export interface FakeSwitches extends FakeEnvOptions {
  /**
   * An absolute folder standing in for the host's cgroup mounts in the fake jailer (default: a
   * folder under the system's temporary folder). `/sys/fs/cgroup` writes to the real ones.
   */
  readonly cgroupRoot?: string;
}

const invalid = (key: string, reason: string, cause?: unknown): FakeVmmError =>
  new FakeVmmError(
    'ERR_FAKE_INVALID_OPTIONS',
    `options.${key}: ${reason}`,
    cause === undefined ? undefined : { cause },
  );

// Checks what formatting alone would let through: a value the fake would silently read as another.
const checkShape = (options: FakeSwitches): void => {
  if (
    options.bootMarker !== undefined &&
    (options.bootMarker === '' || /[\r\n]/u.test(options.bootMarker))
  ) {
    throw invalid(
      'bootMarker',
      `expected one non-empty line, got ${JSON.stringify(options.bootMarker)}`,
    );
  }
  for (const [index, rule] of (options.exitRules ?? []).entries()) {
    if (rule.point === 'after-requests' && rule.afterRequests === undefined) {
      throw invalid(
        `exitRules[${index}].afterRequests`,
        'expected a count for the after-requests point',
      );
    }
  }
  if (options.journalPath !== undefined && !path.isAbsolute(options.journalPath)) {
    throw invalid(
      'journalPath',
      `expected an absolute path, got ${JSON.stringify(options.journalPath)}`,
    );
  }
  if (options.cgroupRoot !== undefined && !path.isAbsolute(options.cgroupRoot)) {
    throw invalid(
      'cgroupRoot',
      `expected an absolute path, got ${JSON.stringify(options.cgroupRoot)}`,
    );
  }
};

/**
 * Turns typed switches into the `KINDLING_FAKE_*` variables the fakes read, after checking each
 * one reads back as given; a bad value throws `FakeVmmError` `ERR_FAKE_INVALID_OPTIONS`
 * naming the option.
 */
export const buildFakeEnv = (options: FakeSwitches = {}): Record<string, string> => {
  checkShape(options);
  const { cgroupRoot, ...fakeOptions } = options;
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(fakeOptions)) {
    if (value === undefined) {
      continue;
    }
    const one = formatFakeEnv({ [key]: value });
    try {
      parseFakeEnv(one);
    } catch (error) {
      throw invalid(key, error instanceof Error ? error.message : String(error), error);
    }
    Object.assign(env, one);
  }
  if (cgroupRoot !== undefined) {
    env[FAKE_ENV.cgroupRoot] = cgroupRoot;
  }
  return env;
};
