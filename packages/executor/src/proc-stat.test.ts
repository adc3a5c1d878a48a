// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { describe, expect, it } from 'vitest';
import {
  parseProcStat,
  readProcStat,
  readProcStatSync,
  readProcessStartTime,
} from './proc-stat.js';

// A real line of /proc/<pid>/stat with its 52 fields; field 22 (starttime) is 4242.
const statLine = (comm: string, state = 'S', startTime = 4242) =>
  `1234 (${comm}) ${state} 1 1234 1234 0 -1 4194560 100 0 0 0 1 2 0 0 20 0 1 0 ${startTime} 5000000 300 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 0 0 0 0 0 0 0 0 0 0 0 0 0\n`;

describe('parseProcStat', () => {
  it('reads pid, command, state, field 22 as the start time and fields 14 + 15 as CPU time', () => {
    expect(parseProcStat(statLine('firecracker'))).toEqual({
      pid: 1234,
      comm: 'firecracker',
      state: 'S',
      startTime: 4242,
      cpuTicks: 3,
    });
  });

  it('keeps a command name that holds spaces and parentheses', () => {
    const stat = parseProcStat(statLine('a) (b c) 9 R', 'Z', 77));
    expect(stat).toEqual({
      pid: 1234,
      comm: 'a) (b c) 9 R',
      state: 'Z',
      startTime: 77,
      cpuTicks: 3,
    });
  });

  it('keeps a command name that is empty or holds a newline', () => {
    expect(parseProcStat(statLine(''))?.comm).toBe('');
    expect(parseProcStat(statLine('x\ny'))?.startTime).toBe(4242);
  });

  it('rejects text that is not a stat line', () => {
    expect(parseProcStat('')).toBeUndefined();
    expect(parseProcStat('1234 firecracker S 1')).toBeUndefined();
    expect(parseProcStat('1234 (fc) S 1 2 3')).toBeUndefined();
    expect(parseProcStat(statLine('fc', '?'))).toBeUndefined();
    expect(parseProcStat(`x${statLine('fc')}`)).toBeUndefined();
  });
});

describe('readProcStat', () => {
  it('reads this process, asynchronously and synchronously, with the same start time', async () => {
    const stat = await readProcStat(process.pid);
    expect(stat?.pid).toBe(process.pid);
    expect(stat?.state).toMatch(/^[RS]$/u);
    expect(stat?.startTime).toBeGreaterThan(0);
    expect(readProcStatSync(process.pid)?.startTime).toBe(stat?.startTime);
    expect(await readProcessStartTime(process.pid)).toBe(stat?.startTime);
  });

  it('returns undefined for a pid no process has', async () => {
    // pid_max is at most 2^22 on Linux, so this pid cannot exist.
    const pid = 2 ** 22 + 1;
    expect(await readProcStat(pid)).toBeUndefined();
    expect(readProcStatSync(pid)).toBeUndefined();
    expect(await readProcessStartTime(pid)).toBeUndefined();
  });
});
