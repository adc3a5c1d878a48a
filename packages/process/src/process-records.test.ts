// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { chmod, mkdir, mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { describeOwner, writeProcessRecord, type ProcessRecord } from './process-records.js';

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'kindling-records-'));
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const recordFor = async (pid: number): Promise<ProcessRecord> => ({
  pid,
  startTime: 7,
  owner: await describeOwner(),
  kind: 'attached',
  recordedAt: new Date().toISOString(),
});

describe('writeProcessRecord', () => {
  it('makes the state folder private, and makes it again when it was removed between writes', async () => {
    const stateDir = path.join(dir, 'state');
    await writeProcessRecord(stateDir, await recordFor(1));
    expect((await stat(stateDir)).mode & 0o777).toBe(0o700);
    await rm(stateDir, { recursive: true });
    const file = await writeProcessRecord(stateDir, await recordFor(2));
    expect(file).toBe(path.join(stateDir, '2-7.json'));
    expect(await readdir(stateDir)).toEqual(['2-7.json']);
    expect((await stat(stateDir)).mode & 0o777).toBe(0o700);
  });

  it('refuses a state folder others can write to, naming it and the fix, and writes nothing', async () => {
    const stateDir = path.join(dir, 'shared');
    await mkdir(stateDir);
    await chmod(stateDir, 0o777);
    await expect(writeProcessRecord(stateDir, await recordFor(3))).rejects.toMatchObject({
      code: 'ERR_STATE_RECORD',
      message: `The state folder ${stateDir} is a folder others own or can write to: remove it, or choose another stateDir`,
    });
    expect(await readdir(stateDir)).toEqual([]);
  });
});
