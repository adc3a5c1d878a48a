// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { FAKE_ENV } from '../faults/env-switches.js';
import type { JailerHost } from './jailer-config.js';

const readProcMisc = (): string | undefined => {
  try {
    return readFileSync('/proc/misc', 'utf8');
  } catch {
    // Upstream treats an unreadable /proc/misc as a host without /dev/userfaultfd.
    return undefined;
  }
};

/** The host facts the jailer reads: the fake cgroup root (from `env`) and `/proc/misc`. */
export const readJailerHost = (env: Readonly<Record<string, string>>): JailerHost => ({
  cgroupRoot: env[FAKE_ENV.cgroupRoot] ?? path.join(tmpdir(), 'kindling-fake-cgroup'),
  procMisc: readProcMisc(),
});
