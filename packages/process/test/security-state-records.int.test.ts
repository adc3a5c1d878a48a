// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { chmod, lstat, mkdir, readdir, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reconcile } from '../src/index.js';
import { FakeSetup } from './support/fake-setup.js';
import { isAlive } from '@kindling/test-utils';

// Security cases for the state records `reconcile()` acts on: it kills the processes they name,
// so the records are their owner's alone (0600 in a 0700 folder, whatever the umask), and a
// state folder that someone else could have written a record into is refused, not trusted.

const modeOf = async (target: string): Promise<number> => (await lstat(target)).mode & 0o7777;

describe.each([
  ['the usual umask 022', 0o022],
  ['a permissive umask 000', 0o000],
])('state records under %s', (_name, umask) => {
  let saved: number;
  beforeAll(() => {
    saved = process.umask(umask);
  });
  afterAll(() => {
    process.umask(saved);
  });

  it.each([
    ['unrestricted', {}],
    ['jailed', { jailed: {} }],
  ] as const)(
    'writes an %s VM record 0600 in a 0700 folder, and makes its API socket 0600',
    async (_kind, options) => {
      await using setup = await FakeSetup.create();
      const vmm = setup.createProcess({ id: `sec-${umask}`, ...options });
      await vmm.prepare();
      await vmm.invoke();
      const records = await readdir(setup.stateDir);
      expect(records).toHaveLength(1);
      expect(await modeOf(setup.stateDir)).toBe(0o700);
      expect(await modeOf(path.join(setup.stateDir, String(records[0])))).toBe(0o600);
      expect(await modeOf(String(vmm.socketPath))).toBe(0o600);
      vmm.kill();
      await vmm.waitForExit();
      await vmm.cleanup();
      expect(await readdir(setup.stateDir)).toEqual([]);
    },
  );
});

// A process a planted record names: reconcile() must not kill it.
const startBystander = () => {
  const child = spawn('sleep', ['60'], { stdio: 'ignore' });
  return { child, pid: Number(child.pid) };
};

const plantRecord = async (folder: string, pid: number) => {
  await writeFile(
    path.join(folder, `${pid}-1.json`),
    `${JSON.stringify({ pid, startTime: 1, owner: { pid: 1, startTime: 1 } })}\n`,
  );
};

describe('state folders that cannot be trusted', () => {
  it.each([
    [
      'a folder others can write to',
      async (folder: string) => {
        await mkdir(folder);
        await chmod(folder, 0o777);
        return folder;
      },
      'is a folder others own or can write to',
    ],
    [
      'a symbolic link to a folder',
      async (folder: string) => {
        await mkdir(`${folder}-real`, { mode: 0o700 });
        await symlink(`${folder}-real`, folder);
        return `${folder}-real`;
      },
      'is not a folder',
    ],
  ])('refuses %s, killing nothing (ERR_STATE_RECORD)', async (_what, make, problem) => {
    await using setup = await FakeSetup.create();
    const folder = path.join(setup.dir, 'untrusted-state');
    const recordsIn = await make(folder);
    const bystander = startBystander();
    try {
      await plantRecord(recordsIn, bystander.pid);
      await expect(reconcile({ stateDir: folder })).rejects.toMatchObject({
        code: 'ERR_STATE_RECORD',
        message: expect.stringContaining(problem),
      });
      expect(isAlive(bystander.pid)).toBe(true);
      // A VmmProcess will not record into it either: invoke() fails, and kills what it started.
      const vmm = setup.createProcess({ id: 'sec-untrusted', process: { stateDir: folder } });
      await vmm.prepare();
      await expect(vmm.invoke()).rejects.toMatchObject({ code: 'ERR_STATE_RECORD' });
      await vmm.cleanup();
    } finally {
      bystander.child.kill('SIGKILL');
      await once(bystander.child, 'exit');
    }
  });
});
