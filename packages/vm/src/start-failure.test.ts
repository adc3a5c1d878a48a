// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeAbandonedEnd, formatFirecrackerWords, readLogTail } from './start-failure.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'kindling-start-failure-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('readLogTail', () => {
  it('reads the last lines of a long log, without a cut first line', async () => {
    const log = path.join(dir, 'fc.log');
    const lines = Array.from({ length: 500 }, (_, index) => `line ${index}`);
    await writeFile(log, `${lines.join('\n')}\n`);
    const tail = await readLogTail(log);
    expect(tail.split('\n')).toEqual(lines.slice(-20));
  });

  it('reads nothing from a FIFO, whose lines belong to its reader, nor from a missing file', async () => {
    const fifo = path.join(dir, 'fc.fifo');
    execFileSync('mkfifo', [fifo]);
    await expect(readLogTail(fifo)).resolves.toBe('');
    await expect(readLogTail(path.join(dir, 'missing.log'))).resolves.toBe('');
    await expect(readLogTail()).resolves.toBe('');
  });
});

describe('formatFirecrackerWords', () => {
  it('puts output and log under headings, and says nothing when both are empty', () => {
    expect(formatFirecrackerWords('[stderr]\nError: x\n', 'RunWithApiError\n')).toBe(
      '; what Firecracker wrote:\n[stderr]\nError: x\n[log]\nRunWithApiError',
    );
    expect(formatFirecrackerWords(' \n', '')).toBe('');
  });
});

describe('describeAbandonedEnd', () => {
  it('claims a kill only when SIGKILL was sent and ended the process', () => {
    expect(describeAbandonedEnd({ kind: 'signaled', signal: 'SIGKILL' }, true)).toBe(
      'the Firecracker process was killed (SIGKILL)',
    );
    expect(describeAbandonedEnd({ kind: 'signaled', signal: 'SIGABRT' }, true)).toBe(
      'Firecracker ended by itself on SIGABRT',
    );
    expect(describeAbandonedEnd({ kind: 'signaled', signal: 'SIGKILL' }, false)).toBe(
      'Firecracker ended by itself on SIGKILL',
    );
    expect(describeAbandonedEnd({ kind: 'exited', code: 1 }, false)).toBe(
      'Firecracker exited by itself with code 1',
    );
    expect(describeAbandonedEnd({ kind: 'unknown' }, false)).toBe(
      'Firecracker ended by itself (the exit status of a detached process cannot be seen)',
    );
  });
});
