// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { once } from 'node:events';
import { chmod, link, mkdtemp, readFile, readlink } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  identifyProcess,
  isRunning,
  waitForDetachedExit,
} from '../src/testing/detached-process.js';
import { fakeCgroupFile } from '../src/jailer/cgroups.js';
import { apiRequest } from './support/raw-api.js';
import {
  createJailSandbox,
  type JailSandbox,
  readCredentials,
  spawnJailer,
  waitForJailSocket,
} from './support/jail.js';
import { isRoot } from './support/run-bin.js';

let sandbox: JailSandbox;
// Every sandbox made, so one made before a failing step is still removed.
const sandboxes: JailSandbox[] = [];
const started: number[] = [];

beforeEach(async () => {
  sandbox = await createJailSandbox();
  sandboxes.push(sandbox);
});

afterEach(async () => {
  for (const pid of started.splice(0)) {
    const running = await identifyProcess(pid);
    if (running !== undefined) {
      process.kill(pid, 'SIGKILL');
      await waitForDetachedExit(running, AbortSignal.timeout(5000));
    }
  }
  for (const made of sandboxes.splice(0)) {
    await made.remove();
  }
});

// Runs the jailer to its exit and returns the pid of the Firecracker it left running.
const runDetached = async (
  id: string,
  flags: readonly string[],
  uid?: number,
  nodePath?: string,
): Promise<number> => {
  const jailer = spawnJailer(
    [...sandbox.args(id, uid, uid), ...flags],
    sandbox.env,
    undefined,
    nodePath,
  );
  const [code] = (await once(jailer, 'exit')) as [number | null];
  expect(code).toBe(0);
  const pid = Number(await readFile(path.join(sandbox.rootOf(id), 'firecracker.pid'), 'utf8'));
  started.push(pid);
  expect(pid).not.toBe(jailer.pid);
  return pid;
};

const environOf = async (pid: number): Promise<string[]> =>
  (await readFile(`/proc/${pid}/environ`, 'utf8')).split('\0').filter(Boolean).toSorted();

describe.skipIf(!isRoot)('fake-jailer --daemonize and --new-pid-ns (as root)', () => {
  it('--daemonize: the jailer exits 0 and Firecracker keeps serving in its own session', async () => {
    const pid = await runDetached('daemon', ['--daemonize', '--cgroup', 'cpu.shares=10']);
    const root = sandbox.rootOf('daemon');
    await waitForJailSocket(root);
    expect(
      (await apiRequest(path.join(root, 'run', 'firecracker.socket'), 'GET', '/')).status,
    ).toBe(200);
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    const session = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[3]);
    expect(session).toBe(pid);
    for (const fd of [0, 1, 2]) {
      expect(await readlink(`/proc/${pid}/fd/${fd}`)).toBe('/dev/null');
    }
    expect(await environOf(pid)).toEqual([
      `KINDLING_FAKE_CGROUP_ROOT=${sandbox.cgroupRoot}`,
      `KINDLING_FAKE_CHROOT=${root}`,
      'KINDLING_FAKE_JAIL_IDS=0:0',
    ]);
    const tasks = await readFile(
      fakeCgroupFile(
        sandbox.cgroupRoot,
        path.join(sandbox.cgroupRoot, 'cpu', 'firecracker', 'daemon'),
        'tasks',
      ),
      'utf8',
    );
    expect(tasks.trim().split('\n')).toContain(String(pid));
  });

  it('--new-pid-ns: the jailer exits 0 and Firecracker runs on with the inherited stdio', async () => {
    const pid = await runDetached('pidns', ['--new-pid-ns']);
    const root = sandbox.rootOf('pidns');
    await waitForJailSocket(root);
    expect(
      (await apiRequest(path.join(root, 'run', 'firecracker.socket'), 'GET', '/')).status,
    ).toBe(200);
    // Node's piped stdio is a socket pair: the jailer's, not /dev/null.
    expect(await readlink(`/proc/${pid}/fd/1`)).toMatch(/^socket:/u);
    const running = await identifyProcess(pid);
    expect(running).toBeDefined();
    expect(await isRunning(running!)).toBe(true);
  });

  it.each([
    { name: '--daemonize', flags: ['--daemonize'] },
    { name: '--new-pid-ns', flags: ['--new-pid-ns'] },
    { name: '--daemonize --new-pid-ns', flags: ['--daemonize', '--new-pid-ns'] },
  ])(
    "runs $name as a uid that can reach neither Node nor the jail's parents",
    async ({ flags }) => {
      // A clone in a mode-700 folder: Node and the jail base live where uid 65534 cannot go.
      const hidden = await mkdtemp(path.join(sandbox.dir, 'private-'));
      await chmod(hidden, 0o700);
      const node = path.join(hidden, 'node');
      await link(process.execPath, node);
      await chmod(sandbox.dir, 0o700);
      const pid = await runDetached('hidden', flags, 65_534, node);
      const root = sandbox.rootOf('hidden');
      await waitForJailSocket(root);
      expect(
        (await apiRequest(path.join(root, 'run', 'firecracker.socket'), 'GET', '/')).status,
      ).toBe(200);
      expect((await readCredentials(pid)).uid).toEqual([65_534, 65_534, 65_534, 65_534]);
    },
  );

  it('drops the detached Firecracker to uid:gid', async () => {
    const pid = await runDetached('dropped', ['--daemonize', '--new-pid-ns'], 65_534);
    await waitForJailSocket(sandbox.rootOf('dropped'));
    expect(await readCredentials(pid)).toEqual({
      uid: [65_534, 65_534, 65_534, 65_534],
      gid: [65_534, 65_534, 65_534, 65_534],
      groups: [],
    });
  });
});
