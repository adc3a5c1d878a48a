// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import {
  chmod,
  lstat,
  mkdir,
  mkdtemp,
  readdir,
  readFile,
  readlink,
  rm,
  stat,
  symlink,
  utimes,
  writeFile,
} from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { encodeEntryHeader, END_OF_ARCHIVE, paddingFor } from '../src/tar/tar-header.js';
import { packTar, replaceFromTar } from '../src/protocol/index.js';
import { connectClient, startTestAgent } from './support/agent-client.js';

let local: string;

beforeEach(async () => {
  local = await mkdtemp(path.join(tmpdir(), 'kindling-exec-agent-files-'));
});

afterEach(async () => {
  await rm(local, { recursive: true, force: true });
});

const MTIME_MS = Date.UTC(2024, 0, 2, 3, 4, 5, 678);

// A tree with modes, mtimes, an empty file, a nested folder and an inside symlink.
const makeTree = async (root: string): Promise<void> => {
  await mkdir(path.join(root, 'bin', 'deep'), { recursive: true });
  await writeFile(path.join(root, 'bin', 'run.sh'), '#!/bin/sh\necho run\n');
  await chmod(path.join(root, 'bin', 'run.sh'), 0o750);
  await writeFile(path.join(root, 'empty'), '');
  await writeFile(
    path.join(root, 'bin', 'deep', `${'long-name-'.repeat(12)}.txt`),
    Buffer.alloc(70_000, 1),
  );
  await symlink('bin/run.sh', path.join(root, 'link'));
  await utimes(path.join(root, 'bin', 'run.sh'), MTIME_MS / 1000, MTIME_MS / 1000);
  await chmod(path.join(root, 'bin', 'deep'), 0o700);
};

// Every entry of a tree: its relative name, kind, mode, size and mtime (links: their target).
const describeTree = async (root: string): Promise<string[]> => {
  const lines: string[] = [];
  const walk = async (relative: string): Promise<void> => {
    const full = path.join(root, relative);
    const stats = await lstat(full);
    const detail = stats.isSymbolicLink()
      ? `-> ${await readlink(full)}`
      : `${(stats.mode & 0o7777).toString(8)} ${stats.isDirectory() ? 'dir' : stats.size}`;
    lines.push(
      `${relative || '.'} ${detail} ${stats.isSymbolicLink() || stats.isDirectory() ? '' : Math.floor(stats.mtimeMs)}`,
    );
    if (stats.isDirectory()) {
      for (const name of (await readdir(full)).toSorted()) {
        await walk(path.join(relative, name));
      }
    }
  };
  await walk('');
  return lines;
};

// One archive entry: its header, a one-byte body for a file, and the padding.
const entry = (
  name: string,
  type: 'file' | 'symlink' | 'directory',
  linkTarget?: string,
): Buffer[] => {
  const body = type === 'file' ? Buffer.from('x') : Buffer.alloc(0);
  return [
    encodeEntryHeader({
      name,
      type,
      mode: 0o644,
      size: body.byteLength,
      mtimeMs: MTIME_MS,
      ...(linkTarget === undefined ? {} : { linkTarget }),
    }),
    body,
    paddingFor(body.byteLength),
  ];
};

describe('push and pull', () => {
  it('moves a tree both ways with modes, mtimes, long names and symlinks', async () => {
    await using setup = await startTestAgent();
    const client = await connectClient(setup.address);
    await makeTree(path.join(local, 'tree'));
    const pushed = await client.request(
      { op: 'push', path: '/srv/app' },
      packTar(path.join(local, 'tree')),
    );
    expect(pushed.result).toEqual({ entries: 7, bytes: 70_019 });
    expect(await describeTree(path.join(setup.root, 'srv', 'app'))).toEqual(
      await describeTree(path.join(local, 'tree')),
    );

    const pulled = await client.request({ op: 'pull', path: '/srv/app' });
    expect(pulled.result).toEqual({ entries: 7, bytes: 70_019 });
    await replaceFromTar(Readable.from([pulled.data]), path.join(local, 'back'));
    expect(await describeTree(path.join(local, 'back'))).toEqual(
      await describeTree(path.join(local, 'tree')),
    );
    client.mux.close();
  });

  it('moves a single file, replacing what was there, and leaves no temporary sibling', async () => {
    await using setup = await startTestAgent();
    const client = await connectClient(setup.address);
    await writeFile(path.join(local, 'one.txt'), 'one');
    await mkdir(path.join(setup.root, 'etc', 'config.txt'), { recursive: true });
    const pushed = await client.request(
      { op: 'push', path: 'etc/config.txt' },
      packTar(path.join(local, 'one.txt')),
    );
    expect(pushed.result).toEqual({ entries: 1, bytes: 3 });
    expect(await readFile(path.join(setup.root, 'etc', 'config.txt'), 'utf8')).toBe('one');
    expect(await readdir(path.join(setup.root, 'etc'))).toEqual(['config.txt']);
    client.mux.close();
  });

  it('refuses hostile archives, naming the entry, and leaves nothing behind', async () => {
    await using setup = await startTestAgent();
    const client = await connectClient(setup.address);
    const archive = (...entries: Buffer[][]): Buffer =>
      Buffer.concat([...entry('.', 'directory'), ...entries.flat(), END_OF_ARCHIVE]);
    const cases: Array<[Buffer, string]> = [
      [
        archive(entry('./ok', 'file'), entry('../evil', 'file')),
        'The archive entry "../evil" climbs with ..: nothing was written',
      ],
      [
        archive(entry('/etc/evil', 'file')),
        'The archive entry "/etc/evil" has an absolute path: nothing was written',
      ],
      [
        archive(entry('./up', 'symlink', '../../outside')),
        'The archive entry "./up" is a symlink to "../../outside", which leads outside the target: nothing was written',
      ],
      [
        archive(entry('./abs', 'symlink', '/etc')),
        'The archive entry "./abs" is a symlink to "/etc", an absolute path outside the target: nothing was written',
      ],
      [
        archive(entry('./here', 'symlink', '.'), entry('./here/x', 'file')),
        'The archive entry "./here/x" would be written through a symlink of the archive: nothing was written',
      ],
    ];
    for (const [bytes, message] of cases) {
      const reply = await client.request({ op: 'push', path: '/target' }, bytes);
      expect(reply.error).toEqual({ code: 'ERR_EXEC_TAR', message });
    }
    expect(await readdir(setup.root)).toEqual([]);
    client.mux.close();
  });

  it('refuses guest paths that escape the root by .. or by a symlink', async () => {
    await using setup = await startTestAgent();
    const client = await connectClient(setup.address);
    await symlink(local, path.join(setup.root, 'out'));
    await writeFile(path.join(local, 'secret'), 'secret');
    const escapes = [
      await client.request({ op: 'pull', path: '../secret' }),
      await client.request({ op: 'pull', path: '/out/secret' }),
      await client.request(
        { op: 'push', path: '/out/dropped' },
        Buffer.concat([
          encodeEntryHeader({ name: '.', type: 'file', mode: 0o644, size: 0, mtimeMs: MTIME_MS }),
          END_OF_ARCHIVE,
        ]),
      ),
      await client.request({ op: 'exec', argv: ['true'], cwd: '/out' }),
      await client.request({ op: 'list', path: '/out' }),
    ];
    expect(escapes.map((reply) => reply.error)).toEqual([
      {
        code: 'ERR_EXEC_PATH_ESCAPE',
        message: `The path "../secret" climbs with .., outside the agent's root: use a path inside it`,
      },
      {
        code: 'ERR_EXEC_PATH_ESCAPE',
        message: `The path "/out/secret" leads through a symlink, outside the agent's root: use a path inside it`,
      },
      {
        code: 'ERR_EXEC_PATH_ESCAPE',
        message: `The path "/out/dropped" leads through a symlink, outside the agent's root: use a path inside it`,
      },
      {
        code: 'ERR_EXEC_PATH_ESCAPE',
        message: `The path "/out" is a symlink that leads, outside the agent's root: use a path inside it`,
      },
      {
        code: 'ERR_EXEC_PATH_ESCAPE',
        message: `The path "/out" is a symlink that leads, outside the agent's root: use a path inside it`,
      },
    ]);
    expect(await readdir(local)).toEqual(['secret']);
    // The link itself may be described and removed: neither follows it.
    const described = await client.request({ op: 'stat', path: '/out' });
    expect(described.result).toMatchObject({ name: 'out', type: 'symlink', linkTarget: local });
    expect((await client.request({ op: 'remove', path: '/out' })).result).toEqual({});
    expect(await readFile(path.join(local, 'secret'), 'utf8')).toBe('secret');
    client.mux.close();
  });
});

describe('stat, list, remove, mkdir', () => {
  it('answers each, and names the path that is missing', async () => {
    await using setup = await startTestAgent();
    const client = await connectClient(setup.address);
    expect(
      (await client.request({ op: 'mkdir', path: '/a/b', recursive: true, mode: 0o750 })).result,
    ).toEqual({});
    await writeFile(path.join(setup.root, 'a', 'file'), 'abc');
    const listed = (await client.request({ op: 'list', path: '/a' })).result as {
      entries: Array<{ name: string; type: string; size: number }>;
    };
    expect(listed.entries.map(({ name, type }) => `${name}:${type}`)).toEqual([
      'b:directory',
      'file:file',
    ]);
    const described = await client.request({ op: 'stat', path: '/a/file' });
    expect(described.result).toMatchObject({
      name: 'file',
      type: 'file',
      size: 3,
      mode: (await stat(path.join(setup.root, 'a', 'file'))).mode & 0o7777,
    });
    const notEmpty = await client.request({ op: 'remove', path: '/a' });
    expect(notEmpty.error?.code).toBe('ERR_EXEC_FILE_OPERATION');
    expect(notEmpty.error?.message).toBe(
      'remove of "/a" failed (ENOTEMPTY): the folder is not empty: remove it with recursive',
    );
    expect((await client.request({ op: 'remove', path: '/a', recursive: true })).result).toEqual(
      {},
    );
    expect((await client.request({ op: 'stat', path: '/a' })).error).toEqual({
      code: 'ERR_EXEC_NOT_FOUND',
      message: 'stat of "/a": no such file or folder',
    });
    expect((await client.request({ op: 'remove', path: '/' })).error?.code).toBe(
      'ERR_INVALID_INPUT',
    );
    client.mux.close();
  });
});

describe('handshake', () => {
  it('refuses a host of another protocol version, naming both', async () => {
    await using setup = await startTestAgent(7);
    await expect(connectClient(setup.address)).rejects.toMatchObject({
      code: 'ERR_EXEC_AGENT_VERSION',
      message: expect.stringMatching(
        /^Exec protocol mismatch: @kindling\/exec-agent \S+ speaks protocol 7 but the host \(@kindling\/ext-exec\) test speaks protocol 1: /u,
      ),
    });
  });
});
