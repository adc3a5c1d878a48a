// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { chown, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { text } from 'node:stream/consumers';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { apiRequest } from './support/raw-api.js';
import {
  createJailSandbox,
  type JailSandbox,
  killChild,
  spawnJailer,
  waitForJailSocket,
} from './support/jail.js';
import { resolveFakeBin } from '../src/package-paths.js';
import { isRoot } from './support/run-bin.js';

const NOBODY = 65_534;
let sandbox: JailSandbox;
// Every sandbox made, so one made before a failing step is still removed.
const sandboxes: JailSandbox[] = [];
// As root, the jailer runs as nobody here; otherwise it runs as whoever runs the tests.
const user = isRoot ? { uid: NOBODY, gid: NOBODY } : undefined;
const uid = user?.uid ?? process.getuid?.() ?? 0;
const gid = user?.gid ?? process.getgid?.() ?? 0;
// Run as nobody, the jailer itself must reach Node and the fake in this checkout: a checkout in a
// folder private to its owner (mode 700, as home folders often are) is out of its reach. A
// non-root user running these tests owns the checkout and is never in that case.
const jailerRunsAsUser =
  user === undefined ||
  spawnSync(process.execPath, [resolveFakeBin('fake-jailer'), '--version'], {
    ...user,
    stdio: 'ignore',
  }).status === 0;
const SKIP_REASON = jailerRunsAsUser
  ? ''
  : ' [skipped: uid 65534 cannot run Node or the fake from this checkout, which is in a folder private to its owner]';

beforeEach(async () => {
  sandbox = await createJailSandbox();
  sandboxes.push(sandbox);
  await chown(sandbox.base, uid, gid);
});

afterEach(async () => {
  for (const made of sandboxes.splice(0)) {
    await made.remove();
  }
});

describe.skipIf(!jailerRunsAsUser)(`fake-jailer without root${SKIP_REASON}`, () => {
  it('lays out the jail with placeholder files for the device nodes, and serves', async () => {
    const root = sandbox.rootOf('unprivileged');
    const child = spawnJailer(sandbox.args('unprivileged', uid, gid), sandbox.env, user);
    try {
      await waitForJailSocket(root);
      expect(await readFile(path.join(root, 'firecracker.pid'), 'utf8')).toBe(String(child.pid));
      for (const device of ['dev/net/tun', 'dev/kvm', 'dev/urandom']) {
        const info = await stat(path.join(root, device));
        expect([device, info.isFile(), info.size, info.mode & 0o777, info.uid]).toEqual([
          device,
          true,
          0,
          0o600,
          uid,
        ]);
      }
      const socket = path.join(root, 'run', 'firecracker.socket');
      expect((await apiRequest(socket, 'GET', '/')).status).toBe(200);
    } finally {
      await killChild(child);
    }
  });

  it('still fails on a reused jail, and on a uid it cannot switch to', async () => {
    const first = spawnJailer(sandbox.args('reused', uid, gid), sandbox.env, user);
    try {
      await waitForJailSocket(sandbox.rootOf('reused'));
    } finally {
      await killChild(first);
    }
    const second = spawnJailer(sandbox.args('reused', uid, gid), sandbox.env, user);
    const [stderr, [code]] = await Promise.all([text(second.stderr!), once(second, 'exit')]);
    expect([code, stderr.split('\n')[0]]).toEqual([
      1,
      'Failed to create /dev/net/tun via mknod inside the jail: File exists (os error 17)',
    ]);
    const other = spawnJailer(sandbox.args('other-uid', uid + 1, gid), sandbox.env, user);
    const [otherStderr, [otherCode]] = await Promise.all([
      text(other.stderr!),
      once(other, 'exit'),
    ]);
    const copy = path.join(sandbox.rootOf('other-uid'), 'firecracker');
    expect([otherCode, otherStderr.split('\n')[0]]).toEqual([
      1,
      `Failed to change owner for ${copy}: Operation not permitted (os error 1)`,
    ]);
  });
});
