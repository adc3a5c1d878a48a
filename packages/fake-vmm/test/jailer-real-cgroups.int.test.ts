// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { existsSync, readFileSync, rmdirSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FAKE_CGROUP_FILES_DIR } from '../src/jailer/cgroups.js';
import {
  createJailSandbox,
  killChild,
  spawnJailer,
  waitForJailSocket,
  type JailSandbox,
} from './support/jail.js';
import { isRoot, runBin } from './support/run-bin.js';

const HOST_ROOT = '/sys/fs/cgroup';
const PARENT = 'kindling-fake-cgroup-test';
// The version of the host's controllers: v2 where /sys/fs/cgroup is the unified hierarchy.
const hostVersion = existsSync(path.join(HOST_ROOT, 'cgroup.controllers')) ? 2 : 1;

/** What a jail asks of the host, and where each value lands: [hierarchy, file, value]. */
const hostCases = {
  1: {
    args: ['--cgroup', 'memory.limit_in_bytes=268435456', '--cgroup', 'pids.max=32'],
    files: [
      ['memory', 'memory.limit_in_bytes', '268435456'],
      ['pids', 'pids.max', '32'],
    ],
  },
  2: {
    args: ['--cgroup-version', '2', '--cgroup', 'memory.max=268435456', '--cgroup', 'pids.max=32'],
    files: [
      ['', 'memory.max', '268435456'],
      ['', 'pids.max', '32'],
    ],
  },
} as const;
const hostCase = hostCases[hostVersion];
const hierarchies = [
  ...new Set(hostCase.files.map(([hierarchy]) => path.join(HOST_ROOT, hierarchy))),
];
const cgroupOf = (hierarchy: string, id: string): string =>
  path.join(HOST_ROOT, hierarchy, PARENT, id);

let sandbox: JailSandbox;

// The jailer makes the parent and the VM's cgroup: both go, innermost first, once it is dead.
const removeCgroups = (id: string): void => {
  for (const hierarchy of hierarchies) {
    for (const dir of [path.join(hierarchy, PARENT, id), path.join(hierarchy, PARENT)]) {
      if (existsSync(dir)) {
        rmdirSync(dir);
      }
    }
  }
};

beforeEach(async () => {
  sandbox = await createJailSandbox();
});

afterEach(async () => {
  await sandbox.remove();
});

const hostEnv = () => ({ ...sandbox.env, KINDLING_FAKE_CGROUP_ROOT: HOST_ROOT });

describe.skipIf(!isRoot)('fake jailer on the host cgroup file system (needs root)', () => {
  it(`makes real v${hostVersion} cgroups in place with the values and the pid, as the jailer does`, async () => {
    const child = spawnJailer(
      [...sandbox.args('realcg'), '--parent-cgroup', PARENT, ...hostCase.args],
      hostEnv(),
    );
    try {
      await waitForJailSocket(sandbox.rootOf('realcg'));
      const written = hostCase.files.map(([hierarchy, file]) => [
        hierarchy,
        file,
        readFileSync(path.join(cgroupOf(hierarchy, 'realcg'), file), 'utf8').trim(),
      ]);
      expect(written).toEqual(hostCase.files);
      const members = hierarchies.map((hierarchy) =>
        readFileSync(path.join(hierarchy, PARENT, 'realcg', 'cgroup.procs'), 'utf8').split('\n'),
      );
      expect(members.map((pids) => pids.includes(String(child.pid)))).toEqual(
        hierarchies.map(() => true),
      );
      // No stand-in files on a real cgroup file system.
      expect(existsSync(path.join(HOST_ROOT, FAKE_CGROUP_FILES_DIR))).toBe(false);
    } finally {
      await killChild(child);
      removeCgroups('realcg');
    }
  });

  it('fails as the jailer does on a controller the host does not have', async () => {
    const run = await runBin(
      'fake-jailer',
      [
        ...sandbox.args('nocontroller'),
        '--parent-cgroup',
        PARENT,
        ...hostCase.args.slice(0, -2),
        '--cgroup',
        'bogus.max=1',
      ],
      { env: hostEnv() },
    );
    expect([run.code, run.stderr]).toEqual([
      1,
      'Controller bogus is unavailable\nError: CgroupControllerUnavailable("bogus")\n',
    ]);
    removeCgroups('nocontroller');
  });
});

describe.skipIf(!isRoot || hostVersion !== 1)(
  'fake jailer on a v1 host (needs root and cgroup v1)',
  () => {
    it('reads the parent value first, and fails on a file the controller does not have', async () => {
      const run = await runBin(
        'fake-jailer',
        [
          ...sandbox.args('badfile'),
          '--parent-cgroup',
          PARENT,
          '--cgroup',
          'memory.no_such_file=1',
        ],
        { env: hostEnv() },
      );
      const parentFile = path.join(HOST_ROOT, 'memory', PARENT, 'memory.no_such_file');
      expect([run.code, run.stderr]).toEqual([
        1,
        `Failed to read file ${parentFile} into a string: No such file or directory (os error 2)\nError: ReadToString("${parentFile}", Os { code: 2, kind: NotFound, message: "No such file or directory" })\n`,
      ]);
      removeCgroups('badfile');
    });

    it('refuses a process into a cpuset given cpus but no memory nodes (ENOSPC), as the kernel does', async () => {
      const run = await runBin(
        'fake-jailer',
        [...sandbox.args('nomems'), '--parent-cgroup', PARENT, '--cgroup', 'cpuset.cpus=0'],
        { env: hostEnv() },
      );
      const tasks = path.join(HOST_ROOT, 'cpuset', PARENT, 'nomems', 'tasks');
      expect([run.code, run.stderr.split('\n')[0]]).toEqual([
        1,
        `Failed to write to ${tasks}: No space left on device (os error 28)`,
      ]);
      rmdirSync(path.dirname(tasks));
      rmdirSync(path.dirname(path.dirname(tasks)));
    });
  },
);
