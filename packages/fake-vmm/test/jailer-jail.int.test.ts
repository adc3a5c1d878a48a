// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { once } from 'node:events';
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { text } from 'node:stream/consumers';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fakeCgroupFile } from '../src/jailer/cgroups.js';
import { apiRequest } from './support/raw-api.js';
import {
  createJailSandbox,
  deviceNumbers,
  type JailSandbox,
  killChild,
  readCredentials,
  spawnJailer,
  waitForJailSocket,
} from './support/jail.js';
import { isRoot } from './support/run-bin.js';

const NOBODY = 65_534;
let sandbox: JailSandbox;
// Every sandbox made, so one made before a failing step is still removed.
const sandboxes: JailSandbox[] = [];

beforeEach(async () => {
  sandbox = await createJailSandbox();
  sandboxes.push(sandbox);
});

afterEach(async () => {
  for (const made of sandboxes.splice(0)) {
    await made.remove();
  }
});

// The device nodes every jail gets, and /dev/userfaultfd when the host's /proc/misc lists it.
const expectedDevices = async (): Promise<[string, number, number][]> => {
  const misc = await readFile('/proc/misc', 'utf8').catch(() => '');
  const userfaultfd = misc
    .split('\n')
    .filter((entry) => entry.split(' ')[1] === 'userfaultfd')
    .map((entry): [string, number, number] => ['dev/userfaultfd', 10, Number(entry.split(' ')[0])]);
  return [['dev/net/tun', 10, 200], ['dev/kvm', 10, 232], ['dev/urandom', 1, 9], ...userfaultfd];
};

describe.skipIf(!isRoot)('fake-jailer jail (as root: mknod and uid changes need it)', () => {
  it('lays out the jail as the real jailer and runs Firecracker in its own pid as uid:gid', async () => {
    const root = sandbox.rootOf('layout');
    const child = spawnJailer(
      [...sandbox.args('layout', NOBODY, NOBODY), '--', '--level', 'Debug'],
      sandbox.env,
    );
    try {
      await waitForJailSocket(root);
      const pid = child.pid!;
      expect(await readFile(path.join(root, 'firecracker.pid'), 'utf8')).toBe(String(pid));
      expect(await readCredentials(pid)).toEqual({
        uid: [NOBODY, NOBODY, NOBODY, NOBODY],
        gid: [NOBODY, NOBODY, NOBODY, NOBODY],
        groups: [],
      });
      for (const folder of ['.', 'dev', 'dev/net', 'run']) {
        const info = await stat(path.join(root, folder));
        expect([folder, info.mode & 0o7777, info.uid, info.gid]).toEqual([
          folder,
          0o700,
          NOBODY,
          NOBODY,
        ]);
      }
      const devices = await expectedDevices();
      for (const [device, major, minor] of devices) {
        const info = await stat(path.join(root, device));
        expect(info.isCharacterDevice()).toBe(true);
        expect([device, ...deviceNumbers(info.rdev), info.mode & 0o777, info.uid]).toEqual([
          device,
          major,
          minor,
          0o600,
          NOBODY,
        ]);
      }
      const copy = await stat(path.join(root, 'firecracker'));
      expect([copy.uid, copy.gid, copy.mode & 0o777]).toEqual([NOBODY, NOBODY, 0o755]);
      expect(await readFile(path.join(root, 'firecracker'), 'utf8')).toBe(
        await readFile(sandbox.execFile, 'utf8'),
      );
      const socket = await stat(path.join(root, 'run', 'firecracker.socket'));
      expect([socket.isSocket(), socket.uid]).toEqual([true, NOBODY]);
      expect(
        (await apiRequest(path.join(root, 'run', 'firecracker.socket'), 'GET', '/')).status,
      ).toBe(200);
      const limits = await readFile(`/proc/${pid}/limits`, 'utf8');
      expect(limits).toMatch(/^Max open files\s+2048\s+2048\s+files\s*$/mu);
    } finally {
      await killChild(child);
    }
  });

  it('fails like the real jailer when the jail folder is reused', async () => {
    const first = spawnJailer(sandbox.args('reused'), sandbox.env);
    try {
      await waitForJailSocket(sandbox.rootOf('reused'));
    } finally {
      await killChild(first);
    }
    const second = spawnJailer(sandbox.args('reused'), sandbox.env);
    const [stderr, [code]] = await Promise.all([text(second.stderr!), once(second, 'exit')]);
    expect(code).toBe(1);
    expect(stderr).toBe(
      'Failed to create /dev/net/tun via mknod inside the jail: File exists (os error 17)\n' +
        'Error: MknodDev(Os { code: 17, kind: AlreadyExists, message: "File exists" }, "/dev/net/tun")\n',
    );
  });

  it('applies the resource limits to the Firecracker process', async () => {
    const child = spawnJailer(
      [
        ...sandbox.args('limits'),
        '--resource-limit',
        'fsize=1048576',
        '--resource-limit',
        'no-file=100',
      ],
      sandbox.env,
    );
    try {
      await waitForJailSocket(sandbox.rootOf('limits'));
      const limits = await readFile(`/proc/${child.pid}/limits`, 'utf8');
      expect(limits).toMatch(/^Max file size\s+1048576\s+1048576\s+bytes\s*$/mu);
      expect(limits).toMatch(/^Max open files\s+100\s+100\s+files\s*$/mu);
    } finally {
      await killChild(child);
    }
  });

  it('writes cgroup v1 values per controller under the cgroup root and attaches the pid', async () => {
    const child = spawnJailer(
      [
        ...sandbox.args('cgv1'),
        '--cgroup',
        'cpu.shares=512',
        '--cgroup',
        'memory.limit_in_bytes=134217728',
      ],
      sandbox.env,
    );
    try {
      await waitForJailSocket(sandbox.rootOf('cgv1'));
      const cpu = path.join(sandbox.cgroupRoot, 'cpu', 'firecracker', 'cgv1');
      const memory = path.join(sandbox.cgroupRoot, 'memory', 'firecracker', 'cgv1');
      expect(await readFile(fakeCgroupFile(sandbox.cgroupRoot, cpu, 'cpu.shares'), 'utf8')).toBe(
        '512\n',
      );
      expect(
        await readFile(fakeCgroupFile(sandbox.cgroupRoot, memory, 'memory.limit_in_bytes'), 'utf8'),
      ).toBe('134217728\n');
      expect(await readFile(fakeCgroupFile(sandbox.cgroupRoot, cpu, 'tasks'), 'utf8')).toBe(
        `${child.pid}\n`,
      );
      expect(await readFile(fakeCgroupFile(sandbox.cgroupRoot, memory, 'tasks'), 'utf8')).toBe(
        `${child.pid}\n`,
      );
    } finally {
      await killChild(child);
    }
  });

  it('writes cgroup v2 values under <root>/<parent>/<id> and enables the controllers above', async () => {
    const child = spawnJailer(
      [
        ...sandbox.args('cgv2'),
        '--cgroup-version',
        '2',
        '--parent-cgroup',
        'vms/fast',
        '--cgroup',
        'cpu.max=50000 100000',
        '--cgroup',
        'memory.max=268435456',
      ],
      sandbox.env,
    );
    try {
      await waitForJailSocket(sandbox.rootOf('cgv2'));
      const group = path.join(sandbox.cgroupRoot, 'vms', 'fast', 'cgv2');
      expect(await readFile(fakeCgroupFile(sandbox.cgroupRoot, group, 'cpu.max'), 'utf8')).toBe(
        '50000 100000\n',
      );
      expect(await readFile(fakeCgroupFile(sandbox.cgroupRoot, group, 'memory.max'), 'utf8')).toBe(
        '268435456\n',
      );
      expect(
        await readFile(fakeCgroupFile(sandbox.cgroupRoot, group, 'cgroup.procs'), 'utf8'),
      ).toBe(`${child.pid}\n`);
      // As rmdir(2) sees a cgroupfs folder: empty, so removing it needs no unlink.
      expect(await readdir(group)).toEqual([]);
      for (const dir of ['', 'vms', 'vms/fast']) {
        const control = await readFile(
          path.join(sandbox.cgroupRoot, dir, 'cgroup.subtree_control'),
          'utf8',
        );
        expect([dir, control]).toEqual([dir, 'cpu memory\n']);
      }
    } finally {
      await killChild(child);
    }
  });
});
