// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { once } from 'node:events';
import { existsSync } from 'node:fs';
import type { Socket } from 'node:net';
import { Client } from 'undici';
import { TEST_WAIT_MS } from '@kindling/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createVsockConnector, type VmConfiguration } from '../src/index.js';
import {
  NEEDS_GUEST,
  SETUPS,
  basicConfiguration,
  isRealBackend,
  createVmHarness,
  jailed,
  listFiles,
  unrestricted,
  type ExecutorSetup,
  type VmHarness,
} from './support/vm-harness.js';

const BOOT_MARKER = 'kindling-fake-guest: ready';
// The fake guest's services (fake-vmm's README): echo, and HTTP/1.1.
const ECHO_PORT = 5000;
const HTTP_PORT = 8000;

const GUEST_CONNECT_PORT = 7000;

let harness: VmHarness;
beforeAll(async () => {
  harness = await createVmHarness();
});
afterAll(async () => {
  await harness.dispose();
});

// The vsock socket in a folder of its own, short enough for a socket address.
const withGuestIo = (
  name: string,
  serial: 'stdout' | 'file' | 'fifo',
  target = harness,
): VmConfiguration => ({
  ...basicConfiguration(target),
  vsock: { guest_cid: 3, uds_path: target.pathFor(`${name}/s/v.sock`) },
  ...(serial === 'stdout' ? {} : { serial: { serial_out_path: target.pathFor(`${name}/serial`) } }),
  ...(serial === 'fifo' ? { fifos: { serial: true } } : {}),
});

// Writes `text` and reads as many bytes back.
const echo = async (socket: Socket, text: string): Promise<string> => {
  let received = '';
  socket.setEncoding('utf8');
  socket.write(text);
  socket.resume();
  while (received.length < text.length) {
    const [chunk] = (await once(socket, 'data')) as [string];
    received += chunk;
  }
  return received;
};

describe.skipIf(isRealBackend).each(SETUPS)(
  `talking with the guest, $name ${NEEDS_GUEST}`,
  (setup: ExecutorSetup) => {
    const { tag } = setup;
    // A fake whose guest opens a connection to the host's port 7000 once booted.
    let connecting: VmHarness;
    beforeAll(async () => {
      connecting = await createVmHarness({ vsockGuestConnectPorts: [GUEST_CONNECT_PORT] });
    });
    afterAll(async () => {
      await connecting.dispose();
    });

    it('waits for the boot marker in a serial file, sees earlier lines, and echoes over vsock', async () => {
      const vm = await harness.prepare(setup, withGuestIo(`${tag}-echo`, 'file'));
      await vm.start();
      expect(await vm.waitForSerialLine(BOOT_MARKER)).toBe(BOOT_MARKER);
      expect(await vm.waitForSerialLine(/\] Linux version \S+/u)).toMatch(
        /^\[\s+0\.000000\] Linux/u,
      );
      const socket = await vm.connectVsock(ECHO_PORT);
      expect(await echo(socket, 'hello over vsock')).toBe('hello over vsock');
      socket.destroy();
    });

    it('reads a serial FIFO', async () => {
      const vm = await harness.prepare(setup, withGuestIo(`${tag}-fifo`, 'fifo'));
      await vm.start();
      // Bounded below the test's timeout, so that a hang fails with ERR_WAIT_TIMEOUT.
      expect(await vm.waitForSerialLine(/ready$/u, { timeoutMs: TEST_WAIT_MS })).toBe(BOOT_MARKER);
    });

    it('speaks HTTP to the guest through undici with the vsock connector', async () => {
      const vm = await harness.prepare(setup, withGuestIo(`${tag}-http`, 'file'));
      await vm.start();
      await vm.waitForSerialLine(BOOT_MARKER);
      const client = new Client('http://guest', { connect: createVsockConnector(vm, HTTP_PORT) });
      try {
        const index = await client.request({ method: 'GET', path: '/' });
        expect(await index.body.json()).toEqual({
          service: 'kindling-fake-guest',
          port: HTTP_PORT,
        });
        const ping = await client.request({
          method: 'POST',
          path: '/ping',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ a: 6, b: 7 }),
        });
        expect(await ping.body.json()).toEqual({ c: 42 });
      } finally {
        await client.close();
      }
    });

    it('fails clearly: a port without listener, a paused VM, an abort, a timeout', async () => {
      const vm = await harness.prepare(setup, withGuestIo(`${tag}-fail`, 'file'));
      await vm.start();
      await vm.waitForSerialLine(BOOT_MARKER);
      await expect(vm.connectVsock(1234)).rejects.toMatchObject({
        code: 'ERR_VSOCK_CLOSED',
        message: expect.stringMatching(/^vm\.connectVsock\(1234\): Firecracker closed/u),
      });
      const reason = new Error('stop');
      await expect(vm.connectVsock(ECHO_PORT, { signal: AbortSignal.abort(reason) })).rejects.toBe(
        reason,
      );
      await expect(vm.connectVsock(-1)).rejects.toMatchObject({
        code: 'ERR_INVALID_INPUT',
        message: 'port: expected an integer from 0 to 4294967295, got -1',
      });
      const controller = new AbortController();
      const aborted = vm.waitForSerialLine('never printed', { signal: controller.signal });
      controller.abort(reason);
      await expect(aborted).rejects.toBe(reason);
      await expect(vm.waitForSerialLine('never printed', { timeoutMs: 50 })).rejects.toMatchObject({
        code: 'ERR_WAIT_TIMEOUT',
      });
      await vm.pause();
      await expect(vm.connectVsock(ECHO_PORT)).rejects.toMatchObject({
        code: 'ERR_WRONG_STATE',
        message: expect.stringContaining('vm.connectVsock(5000) needs the VM to be "running"'),
      });
    });

    it('accepts a connection the guest opens, on <uds_path>_<port>', async () => {
      const name = `${tag}-listen`;
      const vm = await connecting.prepare(setup, withGuestIo(name, 'file', connecting));
      await vm.start({ boot: false });
      const server = await vm.listenVsock(GUEST_CONNECT_PORT);
      const socketPath = `${vm.resolveEffectivePath(connecting.pathFor(`${name}/s/v.sock`))}_${GUEST_CONNECT_PORT}`;
      expect(server.address()).toBe(socketPath);
      await expect(vm.listenVsock(GUEST_CONNECT_PORT)).rejects.toMatchObject({
        code: 'ERR_VSOCK_LISTEN',
      });
      const accepted = once(server, 'connection') as Promise<[Socket]>;
      await vm.boot();
      const [socket] = await accepted;
      expect(await echo(socket, 'hello guest')).toBe('hello guest');
      socket.destroy();
      await vm.shutdown();
      await vm.cleanup();
      expect(server.listening).toBe(false);
      expect(existsSync(socketPath)).toBe(false);
    });

    it('ends pending waits when Firecracker exits, and leaves nothing behind', async () => {
      const name = `${tag}-end`;
      const vm = await harness.prepare(setup, withGuestIo(name, 'file'));
      await vm.start();
      await vm.waitForSerialLine(BOOT_MARKER);
      const files = setup.filesOf(vm, harness.pathFor(name));
      const vsock = vm.resolveEffectivePath(harness.pathFor(`${name}/s/v.sock`));
      const socket = await vm.connectVsock(ECHO_PORT);
      const pending = vm.waitForSerialLine('never printed', {
        timeoutMs: Number.POSITIVE_INFINITY,
      });
      await vm.shutdown([{ method: 'ctrl-alt-del' }]);
      await expect(pending).rejects.toMatchObject({ code: 'ERR_SERIAL_ENDED' });
      // The reboot line came before the end, and is still there to be found.
      expect(await vm.waitForSerialLine('Restarting system')).toContain(
        'reboot: Restarting system',
      );
      socket.destroy();
      await vm.cleanup();
      expect(existsSync(vsock)).toBe(false);
      expect(await listFiles(files)).toEqual([]);
      await expect(vm.waitForSerialLine(BOOT_MARKER)).rejects.toMatchObject({
        code: 'ERR_WRONG_STATE',
        message: expect.stringContaining('this VM was cleaned up'),
      });
    });
  },
);

describe('the serial console on stdout', () => {
  it.skipIf(isRealBackend)(
    `reads Firecracker’s stdout where it is piped, and then keeps it (unrestricted) ${NEEDS_GUEST}`,
    async () => {
      const vm = await harness.prepare(unrestricted, withGuestIo('u-stdout', 'stdout'));
      await vm.start();
      expect(await vm.waitForSerialLine(BOOT_MARKER)).toBe(BOOT_MARKER);
      expect(() => vm.takeStdout()).toThrow(
        expect.objectContaining({
          code: 'ERR_WRONG_STATE',
          message: expect.stringContaining('read by vm.waitForSerialLine()'),
        }),
      );
    },
  );

  it('says stdout cannot be read once vm.takeStdout() took it', async () => {
    const vm = await harness.prepare(unrestricted, withGuestIo('u-taken', 'stdout'));
    await vm.start();
    vm.takeStdout().resume();
    await expect(vm.waitForSerialLine(BOOT_MARKER)).rejects.toMatchObject({
      code: 'ERR_SERIAL_UNAVAILABLE',
      message: expect.stringContaining('was already taken'),
    });
  });

  it('says there is nothing to read where it is not (daemonized jailer)', async () => {
    const vm = await harness.prepare(jailed, withGuestIo('j-stdout', 'stdout'));
    await vm.start();
    await expect(vm.waitForSerialLine(BOOT_MARKER)).rejects.toMatchObject({
      code: 'ERR_SERIAL_UNAVAILABLE',
      message: expect.stringContaining('configure serial.serial_out_path'),
    });
  });

  it('needs a started VM, and a VM with a vsock device', async () => {
    const vm = await harness.prepare(unrestricted, basicConfiguration(harness));
    await expect(vm.waitForSerialLine(BOOT_MARKER)).rejects.toMatchObject({
      code: 'ERR_WRONG_STATE',
    });
    await vm.start();
    await expect(vm.connectVsock(ECHO_PORT)).rejects.toMatchObject({
      code: 'ERR_WRONG_STATE',
      message: expect.stringContaining('this VM has no vsock device'),
    });
  });
});
