// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import {
  createVmTestHarness,
  isRealBackend,
  NEEDS_GUEST,
  SETUPS,
  type ExecutorSetup,
  type VmTestHarness,
} from '@kindling/test-vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exec, openExecSession, spawnInGuest } from '../src/index.js';
import { countConnections } from './support/streams.js';

const defined = <Value>(value: Value | undefined): Value => {
  expect(value).toBeDefined();
  return value as Value;
};

describe.skipIf(isRealBackend).each(SETUPS)(
  `exec across a VM's life, $name ${NEEDS_GUEST}`,
  (setup: ExecutorSetup) => {
    let harness: VmTestHarness;
    beforeAll(async () => {
      harness = await createVmTestHarness({ label: 'ext-exec-life' });
    });
    afterAll(async () => {
      await harness[Symbol.asyncDispose]();
    });

    it('fails a running command and later calls with ERR_VM_ENDED when the VM is killed', async () => {
      const vm = await harness.boot(setup);
      const child = spawnInGuest(vm, ['sleep', '30']);
      // Running: the agent answered (the stream is open) before the VM goes.
      expect((await exec(vm, ['true'])).exitCode).toBe(0);
      process.kill(defined(vm.pid), 'SIGKILL');
      await expect(child.exited).rejects.toMatchObject({
        name: 'ExecError',
        code: 'ERR_VM_ENDED',
        message: expect.stringContaining('exec ["sleep","30"]: the VM'),
      });
      await expect(exec(vm, ['true'])).rejects.toMatchObject({ code: 'ERR_VM_ENDED' });
    });

    it('reconnects after a snapshot, and runs commands in the restored clone', async () => {
      const name = `${setup.tag}-snap`;
      const vm = await harness.boot(setup, 'snap');
      const counted = countConnections(vm);
      await using session = openExecSession(counted.vm);
      expect((await session.exec(['echo', 'before'])).stdout).toBe('before\n');
      await vm.pause();
      const snapshot = await vm.createSnapshot({
        snapshotPath: harness.pathFor(`${name}/snap/vm.state`),
        memPath: harness.pathFor(`${name}/snap/vm.mem`),
      });
      await vm.resume();
      // A snapshot resets vsock: the session's next call opens a new connection.
      expect((await session.exec(['echo', 'after'])).stdout).toBe('after\n');
      expect(counted.opened()).toBe(2);

      const restored = await harness.restore(setup, snapshot, `${name}-r`);
      expect(await exec(restored, ['echo', 'clone'])).toMatchObject({
        exitCode: 0,
        stdout: 'clone\n',
      });
    });

    it('serves many sessions on one VM, watching its end once', async () => {
      const vm = await harness.boot(setup);
      const warnings: Error[] = [];
      const onWarning = (warning: Error): void => {
        warnings.push(warning);
      };
      process.on('warning', onWarning);
      try {
        const sessions = Array.from({ length: 12 }, () => openExecSession(vm));
        const results = await Promise.all(sessions.map((session) => session.exec(['true'])));
        expect(results.map((result) => result.exitCode)).toEqual(sessions.map(() => 0));
        await Promise.all(sessions.map((session) => session.close()));
        // Node warns after 10 listeners of one event: 12 sessions add one 'exit' listener in all.
        await new Promise((resolve) => {
          setImmediate(resolve);
        });
        expect(warnings.map((warning) => warning.name)).not.toContain(
          'MaxListenersExceededWarning',
        );
      } finally {
        process.off('warning', onWarning);
      }
    });

    it('fails calls in flight when the session closes, and refuses calls after', async () => {
      const vm = await harness.boot(setup);
      const session = openExecSession(vm);
      const child = session.spawn(['sleep', '30']);
      expect((await session.exec(['true'])).exitCode).toBe(0);
      await session.close();
      await expect(child.exited).rejects.toMatchObject({ code: 'ERR_EXEC_CONNECTION_CLOSED' });
      await expect(session.exec(['true'])).rejects.toMatchObject({ code: 'ERR_WRONG_STATE' });
      expect(() => openExecSession(vm, { port: -1 })).toThrow(
        expect.objectContaining({
          code: 'ERR_INVALID_INPUT',
          message: 'options.port: expected an integer from 0 to 4294967295, got -1',
        }),
      );
    });
  },
);

describe.skipIf(isRealBackend)(`an agent of another protocol version ${NEEDS_GUEST}`, () => {
  let harness: VmTestHarness;
  beforeAll(async () => {
    harness = await createVmTestHarness({ label: 'ext-exec-version', fake: { execProtocol: 999 } });
  });
  afterAll(async () => {
    await harness[Symbol.asyncDispose]();
  });

  it('is refused with ERR_EXEC_AGENT_VERSION naming both versions and the fix', async () => {
    const vm = await harness.boot(SETUPS[0] as ExecutorSetup);
    await expect(exec(vm, ['true'])).rejects.toMatchObject({
      code: 'ERR_EXEC_AGENT_VERSION',
      message: expect.stringMatching(
        /protocol 999.*protocol 1.*put the agent of the host's release/u,
      ),
    });
  });
});
