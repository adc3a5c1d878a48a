// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { VmConfiguration, VmEndEvent } from '../src/index.js';
import {
  SETUPS,
  basicConfiguration,
  defined,
  jailed,
  unrestricted,
  createVmHarness,
  isRealBackend,
  listFiles,
  NEEDS_FAULT,
  NEEDS_GUEST,
  type ExecutorSetup,
  type VmHarness,
} from './support/vm-harness.js';

const DEFAULT_BOOT_MARKER = 'kindling-fake-guest: ready';

let harness: VmHarness;
let stubborn: VmHarness;
beforeAll(async () => {
  [harness, stubborn] = await Promise.all([
    createVmHarness(),
    // A real Firecracker has no fault switches: the rows that need one are skipped there.
    isRealBackend ? createVmHarness() : createVmHarness({ ctrlAltDel: { kind: 'ignore' } }),
  ]);
});
afterAll(async () => {
  await Promise.all([harness.dispose(), stubborn.dispose()]);
});

const withFiles = (target: VmHarness, name: string): VmConfiguration => ({
  ...basicConfiguration(target),
  logger: { log_path: target.pathFor(`${name}/logs/fc.log`) },
  metrics: { metrics_path: target.pathFor(`${name}/logs/fc.metrics`) },
  // Short: the fake binds it at its path on the host, within the 108 bytes of a socket address.
  // Its own folder: one that a created file's folder shares may not be the jail user's.
  vsock: { guest_cid: 3, uds_path: target.pathFor(`${name}/s/v.sock`) },
  fifos: { metrics: true },
});

describe.each(SETUPS)('shutting down, $name', (setup: ExecutorSetup) => {
  const { tag } = setup;

  describe.concurrent('each method', () => {
    it.skipIf(isRealBackend)(
      `ctrl-alt-del: the guest reboots, gracefully ${NEEDS_GUEST}`,
      async () => {
        const vm = await harness.prepare(setup, basicConfiguration(harness));
        await vm.start();
        const outcome = await vm.shutdown([{ method: 'ctrl-alt-del', timeoutMs: 5_000 }]);
        expect(outcome).toEqual({
          method: 'ctrl-alt-del',
          alreadyDown: false,
          index: 0,
          graceful: true,
          exit: setup.cleanExit,
          failures: [],
        });
        expect(vm.state).toBe('exited');
        expect(await vm.shutdown()).toEqual({
          alreadyDown: true,
          method: undefined,
          index: undefined,
          graceful: true,
          exit: setup.cleanExit,
          failures: [],
        });
      },
    );

    it.skipIf(isRealBackend)(`ctrl-alt-del resumes a paused VM first ${NEEDS_GUEST}`, async () => {
      const vm = await harness.prepare(setup, basicConfiguration(harness));
      await vm.start();
      await vm.pause();
      const outcome = await vm.shutdown([{ method: 'ctrl-alt-del', timeoutMs: 5_000 }]);
      expect(outcome).toMatchObject({ method: 'ctrl-alt-del', graceful: true });
    });

    it('kill: SIGKILL, not graceful, and the VM is exited, not crashed', async () => {
      const vm = await harness.prepare(setup, basicConfiguration(harness));
      await vm.start();
      const outcome = await vm.shutdown([{ method: 'kill' }]);
      expect(outcome).toMatchObject({ method: 'kill', index: 0, graceful: false, failures: [] });
      expect(outcome.exit).toEqual(setup.killedExit);
      expect(vm.state).toBe('exited');
    });

    it('pause-then-kill: pauses the vCPUs, then SIGKILL', async () => {
      const vm = await harness.prepare(setup, basicConfiguration(harness));
      await vm.start();
      const outcome = await vm.shutdown([{ method: 'pause-then-kill' }]);
      expect(outcome).toMatchObject({ method: 'pause-then-kill', graceful: false });
      expect(vm.state).toBe('exited');
    });

    it.skipIf(isRealBackend)(
      `falls through to kill when the guest ignores Ctrl+Alt+Del ${NEEDS_FAULT}`,
      async () => {
        const vm = await stubborn.prepare(setup, basicConfiguration(stubborn));
        await vm.start();
        const outcome = await vm.shutdown([
          { method: 'ctrl-alt-del', timeoutMs: 300 },
          { method: 'kill', timeoutMs: 5_000 },
        ]);
        expect(outcome).toMatchObject({ method: 'kill', index: 1, graceful: false });
        expect(outcome.failures).toEqual([
          {
            index: 0,
            method: 'ctrl-alt-del',
            error: expect.objectContaining({
              code: 'ERR_SHUTDOWN_TIMEOUT',
              message: 'Firecracker was still running 300 ms later',
            }),
          },
        ]);
        expect(vm.state).toBe('exited');
      },
    );

    it.skipIf(isRealBackend)(
      `throws ERR_SHUTDOWN_FAILED when no action ends the process, and leaves it running ${NEEDS_FAULT}`,
      async () => {
        const vm = await stubborn.prepare(setup, basicConfiguration(stubborn));
        await vm.start();
        await expect(
          vm.shutdown([{ method: 'ctrl-alt-del', timeoutMs: 200 }]),
        ).rejects.toMatchObject({
          code: 'ERR_SHUTDOWN_FAILED',
          message: expect.stringContaining(
            '1. ctrl-alt-del: Firecracker was still running 200 ms later',
          ),
        });
        expect(vm.state).toBe('running');
        await expect(vm.cleanup()).rejects.toMatchObject({ code: 'ERR_WRONG_STATE' });
        await vm.shutdown([{ method: 'kill' }]);
        await vm.cleanup();
      },
    );
  });

  describe.concurrent('the VM’s end', () => {
    it('fires crash when the process dies on its own', async () => {
      const vm = await harness.prepare(setup, basicConfiguration(harness));
      await vm.start();
      const crashed = once(vm, 'crash') as Promise<[VmEndEvent]>;
      process.kill(defined(vm.pid, 'a pid'), 'SIGKILL');
      const [event] = await crashed;
      expect(event.detail).toEqual(setup.killedExit);
      expect(vm.state).toBe('crashed');
      await expect(vm.getInfo()).rejects.toMatchObject({
        code: 'ERR_WRONG_STATE',
        message: expect.stringContaining('but it is "crashed"'),
      });
      await vm.cleanup();
    });

    it('shutting down a VM that is already down succeeds and says so', async () => {
      const vm = await harness.prepare(setup, basicConfiguration(harness));
      expect(await vm.shutdown()).toEqual({
        alreadyDown: true,
        method: undefined,
        index: undefined,
        graceful: true,
        exit: undefined,
        failures: [],
      });
      await vm.start();
      const crashed = once(vm, 'crash') as Promise<[VmEndEvent]>;
      process.kill(defined(vm.pid, 'a pid'), 'SIGKILL');
      await crashed;
      expect(await vm.shutdown([{ method: 'ctrl-alt-del' }])).toEqual({
        alreadyDown: true,
        method: undefined,
        index: undefined,
        graceful: false,
        exit: setup.killedExit,
        failures: [],
      });
      expect(vm.state).toBe('crashed');
      await vm.cleanup();
      expect(await vm.shutdown()).toEqual({
        alreadyDown: true,
        method: undefined,
        index: undefined,
        graceful: false,
        exit: setup.killedExit,
        failures: [],
      });
    });

    it.skipIf(isRealBackend)(
      `fires exit when the guest reboots by itself ${NEEDS_GUEST}`,
      async () => {
        const vm = await harness.prepare(setup, basicConfiguration(harness));
        await vm.start();
        const exited = once(vm, 'exit') as Promise<[VmEndEvent]>;
        await vm.sendCtrlAltDel();
        const [event] = await exited;
        expect(vm.state).toBe('exited');
        expect(event.detail).toEqual(vm.exit);
        expect(await vm.waitForExit()).toEqual(vm.exit);
      },
    );

    it('refuses every call before start with the state it needs', async () => {
      const vm = await harness.prepare(setup, basicConfiguration(harness));
      await expect(vm.getInfo()).rejects.toMatchObject({
        code: 'ERR_WRONG_STATE',
        message:
          'vm.getInfo() needs the VM to be with its Firecracker process up ("not-started" after vm.start({ boot: false }), "running" or "paused"), but it is "not-started" and its Firecracker process is not up: call vm.start() first',
      });
      await expect(vm.pause()).rejects.toMatchObject({ code: 'ERR_WRONG_STATE' });
      await expect(vm.waitForExit()).rejects.toMatchObject({ code: 'ERR_WRONG_STATE' });
      await vm.cleanup();
      await expect(vm.start()).rejects.toMatchObject({
        code: 'ERR_WRONG_STATE',
        message: 'vm.start(): this VM was cleaned up and cannot be used again: prepare a new Vm',
      });
    });

    it('leaves nothing behind after shutdown and cleanup', async () => {
      const name = `${tag}-left`;
      const vm = await harness.prepare(setup, withFiles(harness, name));
      await vm.start();
      await vm.pause();
      await vm.createSnapshot({
        snapshotPath: harness.pathFor(`${name}/snap/s`),
        memPath: harness.pathFor(`${name}/snap/m`),
      });
      const socket = defined(vm.socketPath, 'a socket');
      const files = setup.filesOf(vm, harness.pathFor(name));
      expect(await listFiles(files)).toEqual(
        expect.arrayContaining([expect.stringMatching(/v\.sock$/u)]),
      );
      await vm.shutdown();
      await vm.cleanup();
      await vm.cleanup();
      expect(existsSync(socket)).toBe(false);
      // Folders Kindling made in the user's tree stay (unrestricted); a jail goes whole.
      expect(await listFiles(files)).toEqual([]);
    });

    it('shuts down and cleans up on await using, once', async () => {
      const name = `${tag}-disp`;
      let socket = '';
      let vsock = '';
      {
        await using vm = await harness.prepare(setup, withFiles(harness, name));
        await vm.start();
        socket = defined(vm.socketPath, 'a socket');
        vsock = vm.resolveEffectivePath(harness.pathFor(`${name}/s/v.sock`));
        expect(existsSync(vsock)).toBe(true);
        const first = vm[Symbol.asyncDispose]();
        expect(vm[Symbol.asyncDispose]()).toBe(first);
        await first;
        expect(vm.state).toBe('exited');
      }
      expect(existsSync(socket)).toBe(false);
      expect(existsSync(vsock)).toBe(false);
    });
  });
});

describe('shutting down by writing to the serial console', () => {
  it.skipIf(isRealBackend)(
    `types reboot where Firecracker’s stdin is piped (unrestricted) ${NEEDS_GUEST}`,
    async () => {
      const vm = await harness.prepare(unrestricted, basicConfiguration(harness));
      await vm.start();
      // A guest reads its console once it has booted: wait for its last boot line.
      await vm.waitForSerialLine(DEFAULT_BOOT_MARKER);
      const outcome = await vm.shutdown([
        { method: 'write-serial', input: 'reboot\n', timeoutMs: 5_000 },
        { method: 'kill' },
      ]);
      expect(outcome).toEqual({
        alreadyDown: false,
        method: 'write-serial',
        index: 0,
        graceful: true,
        exit: { kind: 'exited', code: 0 },
        failures: [],
      });
    },
  );

  it('falls through to kill where stdin is not piped (daemonized jailer)', async () => {
    const vm = await harness.prepare(jailed, basicConfiguration(harness));
    await vm.start();
    const outcome = await vm.shutdown([
      { method: 'write-serial', timeoutMs: 5_000 },
      { method: 'kill' },
    ]);
    expect(outcome).toMatchObject({ method: 'kill', index: 1 });
    expect(outcome.failures).toEqual([
      {
        index: 0,
        method: 'write-serial',
        error: expect.objectContaining({
          code: 'ERR_PROCESS',
          message: expect.stringContaining('stdin is not piped'),
        }),
      },
    ]);
  });
});
