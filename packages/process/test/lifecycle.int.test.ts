// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { readdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { text } from 'node:stream/consumers';
import { FAKE_ONLY, isRealBackend, testBackend, writeFakeKernel } from '@kindling/fake-vmm';
import { isAlive } from '@kindling/test-utils';
import { describe, expect, it } from 'vitest';
import { ProcessError } from '../src/index.js';
import { FakeSetup } from './support/fake-setup.js';
import { rejection, thrown, wrongState } from './support/assertions.js';

// A guest kernel ELF for a real Firecracker's InstanceStart (KINDLING_KERNEL).
const realKernel = testBackend.kind === 'real' ? testBackend.kernelPath : undefined;

describe('VmmProcess against the fake Firecracker', () => {
  it.skipIf(isRealBackend)(
    `prepares, starts, boots, exits 0 on Ctrl+Alt+Del and cleans up after itself [${FAKE_ONLY}]`,
    async () => {
      await using setup = await FakeSetup.create();
      const kernel = await writeFakeKernel(path.join(setup.dir, 'vmlinux'));
      const vmm = setup.createProcess({ id: 'life-1' });
      await vmm.prepare();
      await vmm.invoke();
      const pid = vmm.pid as number;
      expect(isAlive(pid)).toBe(true);
      expect((await vmm.api.get('/')).body).toMatchObject({
        id: 'life-1',
        state: 'Not started',
        vmm_version: '1.16.1',
      });
      expect(await readdir(setup.stateDir)).toHaveLength(1);
      await vmm.api.put('/boot-source', { kernel_image_path: kernel });
      await vmm.api.put('/actions', { action_type: 'InstanceStart' });
      expect((await vmm.api.get('/')).body).toMatchObject({ state: 'Running' });
      const stdout = vmm.takeStdout();
      await vmm.sendCtrlAltDel();
      expect(await vmm.waitForExit()).toEqual({ kind: 'exited', code: 0 });
      expect(vmm.state).toBe('exited');
      expect(await text(stdout)).not.toBe('');
      await vmm.cleanup();
      expect(isAlive(pid)).toBe(false);
      await rm(kernel);
      expect(await setup.leftovers()).toEqual([]);
      expect(await readdir(setup.stateDir)).toEqual([]);
    },
  );

  it.skipIf(realKernel === undefined)(
    'boots a real kernel, pauses and resumes it, and ends crashed when killed [real Firecracker with KINDLING_KERNEL only]',
    async () => {
      await using setup = await FakeSetup.create();
      const vmm = setup.createProcess({ id: 'real-1' });
      await vmm.prepare();
      await vmm.invoke();
      await vmm.api.put('/boot-source', {
        kernel_image_path: realKernel,
        boot_args: 'console=ttyS0',
      });
      await vmm.api.put('/machine-config', { vcpu_count: 1, mem_size_mib: 128 });
      await vmm.api.put('/actions', { action_type: 'InstanceStart' });
      expect((await vmm.api.get('/')).body).toMatchObject({ id: 'real-1', state: 'Running' });
      await vmm.api.patch('/vm', { state: 'Paused' });
      expect((await vmm.api.get('/')).body).toMatchObject({ state: 'Paused' });
      await vmm.api.patch('/vm', { state: 'Resumed' });
      expect(vmm.kill()).toBe(true);
      expect(await vmm.waitForExit()).toEqual({ kind: 'signaled', signal: 'SIGKILL' });
      expect(vmm.state).toBe('crashed');
      await vmm.cleanup();
      expect(await setup.leftovers()).toEqual([]);
    },
  );

  it('refuses every call made in the wrong state, in every state', async () => {
    await using setup = await FakeSetup.create();
    await using vmm = setup.createProcess({ id: 'states-1' });
    // awaiting-prepare
    expect(await rejection(vmm.invoke())).toBeInstanceOf(ProcessError);
    expect(await rejection(vmm.invoke())).toMatchObject(
      wrongState(/^invoke\(\) needs .*"awaiting-start", but it is "awaiting-prepare"$/u),
    );
    expect(await rejection(vmm.cleanup())).toMatchObject(
      wrongState(/^cleanup\(\) needs .*"awaiting-start" or "exited" or "crashed"/u),
    );
    expect(thrown(() => vmm.kill())).toMatchObject(wrongState(/^kill\(\) needs .*"started"/u));
    expect(await rejection(vmm.waitForExit())).toMatchObject(
      wrongState(/^waitForExit\(\) needs .*"started" or "exited" or "crashed"/u),
    );
    expect(await rejection(vmm.sendCtrlAltDel())).toMatchObject(
      wrongState(/^sendCtrlAltDel\(\) needs .*"started"/u),
    );
    expect(thrown(() => vmm.api)).toMatchObject(wrongState(/^api needs .*"started"/u));
    expect(thrown(() => vmm.takeStdout())).toMatchObject(wrongState(/^takeStdout\(\) needs/u));
    expect(thrown(() => vmm.takeStderr())).toMatchObject(wrongState(/^takeStderr\(\) needs/u));
    // awaiting-start
    await vmm.prepare();
    expect(await rejection(vmm.prepare())).toMatchObject(
      wrongState(/^prepare\(\) needs .*"awaiting-prepare", but it is "awaiting-start"$/u),
    );
    expect(thrown(() => vmm.kill())).toMatchObject(wrongState(/but it is "awaiting-start"$/u));
    expect(thrown(() => vmm.api)).toMatchObject(wrongState(/but it is "awaiting-start"$/u));
    // started
    await vmm.invoke();
    expect(await rejection(vmm.prepare())).toMatchObject(wrongState(/but it is "started"$/u));
    expect(await rejection(vmm.invoke())).toMatchObject(wrongState(/but it is "started"$/u));
    expect(await rejection(vmm.cleanup())).toMatchObject(wrongState(/but it is "started"$/u));
    // crashed
    expect(vmm.kill()).toBe(true);
    expect(await vmm.waitForExit()).toEqual({ kind: 'signaled', signal: 'SIGKILL' });
    expect(vmm.state).toBe('crashed');
    expect(await rejection(vmm.prepare())).toMatchObject(wrongState(/but it is "crashed"$/u));
    expect(await rejection(vmm.invoke())).toMatchObject(wrongState(/but it is "crashed"$/u));
    expect(thrown(() => vmm.kill())).toMatchObject(wrongState(/but it is "crashed"$/u));
    expect(await rejection(vmm.sendCtrlAltDel())).toMatchObject(
      wrongState(/but it is "crashed"$/u),
    );
    expect(thrown(() => vmm.api)).toMatchObject(wrongState(/but it is "crashed"$/u));
    // cleaned up
    await vmm.cleanup();
    expect(await rejection(vmm.prepare())).toMatchObject(wrongState(/cleaned up/u));
    expect(await setup.leftovers()).toEqual([]);
  });

  it('disposes a running jailed process: killed, jail removed, nothing left', async () => {
    await using setup = await FakeSetup.create();
    const vmm = setup.createProcess({ id: 'jailed-1', jailed: {} });
    await vmm.prepare();
    await vmm.invoke();
    const pid = vmm.pid as number;
    expect((await vmm.api.get('/')).body).toMatchObject({ id: 'jailed-1' });
    const [record] = await readdir(setup.stateDir);
    expect(record).toMatch(new RegExp(`^${pid}-\\d+\\.json$`, 'u'));
    expect(
      JSON.parse(await readFile(path.join(setup.stateDir, String(record)), 'utf8')),
    ).toMatchObject({
      pid,
      kind: 'attached',
      jailPath: path.join(setup.dir, 'jail', 'firecracker', 'jailed-1'),
      socketPath: path.join(
        setup.dir,
        'jail',
        'firecracker',
        'jailed-1',
        'root',
        'run',
        'firecracker.socket',
      ),
    });
    await vmm[Symbol.asyncDispose]();
    await vmm[Symbol.asyncDispose]();
    expect(isAlive(pid)).toBe(false);
    expect(vmm.state).toBe('crashed');
    // The chroot base and its exec folder were Kindling's: they go with the last jail.
    expect(await setup.leftovers()).toEqual([]);
    expect(await readdir(setup.stateDir)).toEqual([]);
  });

  it('reports the end of a daemonized (detached) Firecracker as crashed, never as clean', async () => {
    await using setup = await FakeSetup.create();
    await using vmm = setup.createProcess({ id: 'detached-1', jailed: { daemonize: true } });
    await vmm.prepare();
    await vmm.invoke();
    const pid = vmm.pid as number;
    expect((await vmm.api.get('/')).body).toMatchObject({ id: 'detached-1' });
    const [record] = await readdir(setup.stateDir);
    expect(
      JSON.parse(await readFile(path.join(setup.stateDir, String(record)), 'utf8')),
    ).toMatchObject({ pid, kind: 'detached' });
    expect(vmm.kill()).toBe(true);
    expect(await vmm.waitForExit()).toEqual({ kind: 'unknown' });
    expect(vmm.state).toBe('crashed');
    expect(isAlive(pid)).toBe(false);
    await vmm.cleanup();
    expect(await setup.leftovers()).toEqual([]);
    expect(await readdir(setup.stateDir)).toEqual([]);
  });
});
