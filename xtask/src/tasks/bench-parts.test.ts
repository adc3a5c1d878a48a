// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import process from 'node:process';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { describeMachine, formatMachine } from './bench-machine.ts';
import { parseBenchFlags, selectScripts } from './bench-options.ts';
import { README_TABLE_END, README_TABLE_START, replaceBenchBlock } from './bench-readme.ts';

describe('bench flags', () => {
  it('reads every switch, and --only repeated or comma-separated', () => {
    expect(
      parseBenchFlags([
        '--quick',
        '--only',
        'process,vm/',
        '--only=ext-metrics',
        '--no-build',
        '--strict',
        '--write-readme',
      ]),
    ).toEqual({
      options: {
        skipBuild: true,
        quick: true,
        strict: true,
        writeReadme: true,
        only: ['process', 'vm/', 'ext-metrics'],
      },
      unknown: [],
    });
  });

  it('names an unknown flag and an --only without a value', () => {
    expect(parseBenchFlags(['--fast', '--only']).unknown).toEqual([
      '--fast',
      "--only (needs a substring of a script's path)",
    ]);
  });

  it('selects the scripts whose path contains a substring, or all', () => {
    const scripts = ['packages/process/bench/process.bench.ts', 'packages/vm/bench/copy.bench.ts'];
    expect(selectScripts(scripts, ['vm/'])).toEqual(['packages/vm/bench/copy.bench.ts']);
    expect(selectScripts(scripts, [])).toEqual(scripts);
  });
});

describe('the README block', () => {
  it('replaces what is between the markers and keeps the rest', () => {
    const readme = `a\n${README_TABLE_START}\nold\n${README_TABLE_END}\nb\n`;
    expect(replaceBenchBlock(readme, '| new |\n')).toBe(
      `a\n${README_TABLE_START}\n| new |\n${README_TABLE_END}\nb\n`,
    );
  });

  it('refuses a README without the markers, naming them', () => {
    expect(() => replaceBenchBlock('# nothing here\n', 'x')).toThrow(README_TABLE_START);
  });
});

describe('the machine facts', () => {
  let dir: string;

  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'kindling-xtask-machine-'));
  });

  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('names fake-vmm without KINDLING_FIRECRACKER', async () => {
    const machine = await describeMachine({});
    expect(machine).toEqual(
      expect.objectContaining({
        backend: 'fake-vmm',
        cores: os.cpus().length,
        node: process.version,
      }),
    );
    expect(machine.firecrackerVersion).toBeUndefined();
  });

  it('takes the first line of `firecracker --version` from the binary KINDLING_FIRECRACKER names', async () => {
    const binary = path.join(dir, 'firecracker');
    await writeFile(binary, "#!/bin/sh\necho 'Firecracker v1.16.1'\necho\necho 'more'\n", {
      mode: 0o755,
    });
    const machine = await describeMachine({ KINDLING_FIRECRACKER: binary });
    expect(machine).toEqual(
      expect.objectContaining({
        backend: 'firecracker',
        firecrackerPath: binary,
        firecrackerVersion: 'Firecracker v1.16.1',
      }),
    );
    expect(formatMachine(machine, new Date('2026-12-03T09:30:00Z'), true)).toMatch(
      /^Quick run of 2026-12-03 09:30 UTC against Firecracker v1\.16\.1: \d+ × .+, Node v\d+/u,
    );
  });
});
