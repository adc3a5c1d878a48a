// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findExecutableFormatProblem } from './executable-format.js';

describe('findExecutableFormatProblem', () => {
  let dir: string;

  const write = async (name: string, content: string | Buffer): Promise<string> => {
    const file = path.join(dir, name);
    await writeFile(file, content);
    return file;
  };

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'kindling-format-'));
    const elf = await readFile(process.execPath);
    await write(
      'x86_64',
      Buffer.concat([elf.subarray(0, 18), Buffer.from([0x3e, 0]), elf.subarray(20, 64)]),
    );
    await write(
      'aarch64',
      Buffer.concat([elf.subarray(0, 18), Buffer.from([0xb7, 0]), elf.subarray(20, 64)]),
    );
  });

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('accepts scripts and ELF binaries of this machine', async () => {
    expect(await findExecutableFormatProblem(await write('script', '#!/bin/sh\n'))).toBeUndefined();
    expect(await findExecutableFormatProblem(process.execPath)).toBeUndefined();
    expect(await findExecutableFormatProblem(path.join(dir, 'x86_64'), 'x64')).toBeUndefined();
    expect(await findExecutableFormatProblem(path.join(dir, 'aarch64'), 'arm64')).toBeUndefined();
  });

  it('names the architecture of a binary built for another machine', async () => {
    expect(await findExecutableFormatProblem(path.join(dir, 'aarch64'), 'x64')).toBe(
      'is built for aarch64 and this machine is x86_64',
    );
    expect(await findExecutableFormatProblem(path.join(dir, 'x86_64'), 'arm64')).toBe(
      'is built for x86_64 and this machine is aarch64',
    );
  });

  it('names an unknown ELF machine by its number', async () => {
    const riscv = await readFile(path.join(dir, 'x86_64'));
    riscv.writeUInt16LE(0xf3, 18);
    expect(await findExecutableFormatProblem(await write('riscv', riscv), 'x64')).toBe(
      'is built for ELF machine 0xf3 and this machine is x86_64',
    );
  });

  it('rejects files that are neither ELF nor scripts, including empty and truncated ones', async () => {
    for (const [name, content] of [
      ['text', 'Firecracker v1.16.1\n'],
      ['empty', ''],
      ['truncated-elf', '\u007FELF'],
    ] as const) {
      expect(await findExecutableFormatProblem(await write(name, content)), name).toBe(
        'is neither an ELF binary nor a script',
      );
    }
  });

  it('leaves unreadable files to the spawn', async () => {
    expect(await findExecutableFormatProblem(path.join(dir, 'missing'))).toBeUndefined();
  });
});
