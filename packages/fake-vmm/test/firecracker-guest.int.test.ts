// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { once } from 'node:events';
import { readFile } from 'node:fs/promises';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { createServer, type Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { bootTo, configureBoot, startFakeVm, type FakeVm } from './support/fake-vm.js';
import { callGuestAgent, openGrpcSession } from './support/grpc-client.js';
import { echoRoundTrip, readBytes, vsockConnect } from './support/vsock-client.js';

// The simulated guest: serial console, Ctrl-Alt-Del, and firecracker.md section 9 (vsock).

const withVsock = async (vm: FakeVm): Promise<string> => {
  const udsPath = vm.path('v.sock');
  const response = await vm.api('PUT', '/vsock', { guest_cid: 3, uds_path: udsPath });
  expect(response.status).toBe(204);
  return udsPath;
};

/** Boots and waits for the guest's marker: its userspace (vsock listeners) is then up. */
const bootGuest = async (vm: FakeVm): Promise<void> => {
  await bootTo(vm, 'Running');
  await vm.waitForStdout('kindling-fake-guest: ready');
};

describe('serial console', () => {
  it('prints a boot log ending with the marker when the command line has console=ttyS0', async () => {
    await using vm = await startFakeVm();
    await configureBoot(vm, 'console=ttyS0 reboot=k panic=1 quiet');
    await bootTo(vm, 'Running');
    await vm.waitForStdout('kindling-fake-guest: ready');
    expect(vm.stdout()).toContain(
      'Command line: console=ttyS0 reboot=k panic=1 quiet pci=off root=/dev/vda rw virtio_mmio.device=4K@0xc0001000:5',
    );
    const out = vm.stdout();
    expect(out.indexOf('kindling-fake-guest: ready\n')).toBeGreaterThan(
      out.indexOf('] Run /sbin/init as init process\n'),
    );
  });

  // The delays are long enough that the checks made before the marker cannot lose the race on a
  // loaded machine; the tests still end as soon as the marker is printed.
  it('uses KINDLING_FAKE_BOOT_MARKER and waits KINDLING_FAKE_BOOT_DELAY_MS for it', async () => {
    await using vm = await startFakeVm({
      env: { KINDLING_FAKE_BOOT_MARKER: 'login: ', KINDLING_FAKE_BOOT_DELAY_MS: '1500' },
    });
    await configureBoot(vm);
    const start = performance.now();
    await bootTo(vm, 'Running');
    expect(vm.stdout()).toContain('Run /sbin/init');
    expect(vm.stdout()).not.toContain('login: ');
    await vm.waitForStdout('login: \n');
    expect(performance.now() - start).toBeGreaterThanOrEqual(1490);
  });

  it('prints nothing with the default command line (no console=ttyS0, 8250.nr_uarts=0)', async () => {
    await using vm = await startFakeVm();
    await configureBoot(vm);
    await vm.api('PUT', '/boot-source', { kernel_image_path: vm.path('vmlinux') });
    const udsPath = await withVsock(vm);
    await bootTo(vm, 'Running');
    // Without a console, a client retries until the guest's service answers (past the marker).
    await expect
      .poll(async () => {
        const { ok, socket } = await vsockConnect(udsPath, 5000);
        socket.destroy();
        return ok;
      })
      .toMatch(/^OK /u);
    expect(vm.stdout()).not.toContain('Linux version');
    expect(vm.stdout()).not.toContain('kindling-fake-guest: ready');
  });

  it('writes the guest output to serial_out_path', async () => {
    await using vm = await startFakeVm();
    await configureBoot(vm);
    expect(
      (await vm.api('PUT', '/serial', { serial_out_path: vm.path('serial.log') })).status,
    ).toBe(204);
    await bootTo(vm, 'Running');
    await expect
      .poll(() => readFile(vm.path('serial.log'), 'utf8'))
      .toContain('kindling-fake-guest: ready');
    expect(vm.stdout()).not.toContain('Linux version');
  });

  it('obeys reboot typed on the console: the process exits 0', async () => {
    await using vm = await startFakeVm();
    await configureBoot(vm);
    await bootTo(vm, 'Running');
    await vm.waitForStdout('kindling-fake-guest: ready');
    vm.typeOnSerial('uname');
    await vm.waitForStdout('sh: uname: not found');
    vm.typeOnSerial('reboot');
    expect(await vm.exited).toEqual({ code: 0, signal: null });
    expect(vm.stdout()).toContain('reboot: Restarting system');
  });

  it('stays up after poweroff (no ACPI on x86)', async () => {
    await using vm = await startFakeVm();
    await configureBoot(vm);
    await bootTo(vm, 'Running');
    await vm.waitForStdout('kindling-fake-guest: ready');
    vm.typeOnSerial('poweroff');
    await vm.waitForStdout('reboot: Power down');
    expect(JSON.parse((await vm.api('GET', '/')).body)).toMatchObject({ state: 'Running' });
  });
});

describe('SendCtrlAltDel', () => {
  it('makes the guest reboot and the process exit 0 after the configured delay', async () => {
    await using vm = await startFakeVm({ env: { KINDLING_FAKE_CTRL_ALT_DEL: 'reboot:100' } });
    await configureBoot(vm);
    await bootTo(vm, 'Running');
    const start = performance.now();
    expect((await vm.api('PUT', '/actions', { action_type: 'SendCtrlAltDel' })).status).toBe(204);
    expect(await vm.exited).toEqual({ code: 0, signal: null });
    expect(performance.now() - start).toBeGreaterThanOrEqual(95);
    expect(vm.stdout()).toMatch(
      /Vmm is stopping\.\n.*Firecracker exiting successfully\. exit_code=0\n$/u,
    );
  });

  it('is ignored when the guest is told to', async () => {
    await using vm = await startFakeVm({ env: { KINDLING_FAKE_CTRL_ALT_DEL: 'ignore' } });
    await configureBoot(vm);
    await bootTo(vm, 'Running');
    expect((await vm.api('PUT', '/actions', { action_type: 'SendCtrlAltDel' })).status).toBe(204);
    expect(vm.stdout()).not.toContain('reboot: Restarting system');
    expect((await vm.api('GET', '/')).status).toBe(200);
  });

  it('waits for a paused guest to resume', async () => {
    await using vm = await startFakeVm();
    await configureBoot(vm);
    await bootTo(vm, 'Paused');
    expect((await vm.api('PUT', '/actions', { action_type: 'SendCtrlAltDel' })).status).toBe(204);
    expect(vm.stdout()).not.toContain('reboot: Restarting system');
    expect((await vm.api('PATCH', '/vm', { state: 'Resumed' })).status).toBe(204);
    expect(await vm.exited).toEqual({ code: 0, signal: null });
  });
});

describe('vsock (host-initiated)', () => {
  it('answers CONNECT with OK and a host port from 1 << 30, then echoes', async () => {
    await using vm = await startFakeVm();
    await configureBoot(vm);
    const udsPath = await withVsock(vm);
    await bootGuest(vm);
    const first = await vsockConnect(udsPath, 5000);
    const second = await vsockConnect(udsPath, 5000, 'connect 5000\n');
    expect(first.ok).toBe('OK 1073741824');
    expect(second.ok).toBe('OK 1073741825');
    expect(await echoRoundTrip(first.socket, 'hello guest')).toBe('hello guest');
    first.socket.destroy();
    second.socket.destroy();
  });

  it('delivers data sent in the same packet as the CONNECT line', async () => {
    await using vm = await startFakeVm();
    await configureBoot(vm);
    const udsPath = await withVsock(vm);
    await bootGuest(vm);
    const { ok, socket, rest } = await vsockConnect(udsPath, 5000, 'CONNECT 5000\nearly bytes');
    expect(ok).toBe('OK 1073741824');
    expect(await readBytes(socket, 'early bytes'.length, rest)).toBe('early bytes');
    socket.destroy();
  });

  it.each([
    ['a port nobody listens on', 'CONNECT 1234\n'],
    ['a line that is not CONNECT', 'HELLO 5000\n'],
    ['a port that is not a number', 'CONNECT five\n'],
    ['no newline within 32 bytes', `CONNECT ${'9'.repeat(40)}`],
  ])('closes the connection for %s', async (_name, line) => {
    await using vm = await startFakeVm();
    await configureBoot(vm);
    const udsPath = await withVsock(vm);
    await bootGuest(vm);
    const { ok } = await vsockConnect(udsPath, 0, line);
    expect(ok).toBeUndefined();
  });

  it('closes connections the guest gets before its services are up, as a guest RST does', async () => {
    await using vm = await startFakeVm({ env: { KINDLING_FAKE_BOOT_DELAY_MS: '1500' } });
    await configureBoot(vm);
    const udsPath = await withVsock(vm);
    const beforeBoot = vsockConnect(udsPath, 5000);
    await bootTo(vm, 'Running');
    expect((await beforeBoot).ok).toBeUndefined();
    expect((await vsockConnect(udsPath, 5000)).ok).toBeUndefined();
    await vm.waitForStdout('kindling-fake-guest: ready');
    const { ok, socket } = await vsockConnect(udsPath, 5000);
    expect(ok).toBe('OK 1073741824');
    socket.destroy();
  });

  it('does not answer while the VM is paused', async () => {
    await using vm = await startFakeVm();
    await configureBoot(vm);
    const udsPath = await withVsock(vm);
    await bootGuest(vm);
    await vm.api('PATCH', '/vm', { state: 'Paused' });
    let answered = false;
    const pending = vsockConnect(udsPath, 5000).then((result) => {
      answered = true;
      return result;
    });
    expect((await vm.api('GET', '/')).status).toBe(200);
    expect(answered).toBe(false);
    await vm.api('PATCH', '/vm', { state: 'Resumed' });
    const { ok, socket } = await pending;
    expect(ok).toBe('OK 1073741824');
    socket.destroy();
  });

  it('serves the HTTP agent: POST /ping {a,b} → {c: a*b}', async () => {
    await using vm = await startFakeVm();
    await configureBoot(vm);
    const udsPath = await withVsock(vm);
    await bootGuest(vm);
    const { ok, socket } = await vsockConnect(udsPath, 8000);
    expect(ok).toBe('OK 1073741824');
    const body = JSON.stringify({ a: 6, b: 7 });
    const request = httpRequest({
      method: 'POST',
      path: '/ping',
      headers: { 'content-type': 'application/json', 'content-length': body.length },
      createConnection: () => socket.resume(),
    });
    request.end(body);
    const [response] = (await once(request, 'response')) as [IncomingMessage];
    let text = '';
    for await (const chunk of response) {
      text += String(chunk);
    }
    expect(response.statusCode).toBe(200);
    expect(JSON.parse(text)).toEqual({ c: 42 });
    socket.destroy();
  });

  it('serves the gRPC agent: unary, client, server and duplex streaming', async () => {
    await using vm = await startFakeVm();
    await configureBoot(vm);
    const udsPath = await withVsock(vm);
    await bootGuest(vm);
    const session = openGrpcSession(await vsockConnect(udsPath, 9000));
    const call = (method: string, texts: readonly string[]) =>
      callGuestAgent(session, method, texts);
    expect(await call('Unary', ['hi'])).toEqual({ replies: ['hi'], status: '0' });
    expect(await call('ClientStreaming', ['a', 'b', 'c'])).toEqual({
      replies: ['a,b,c'],
      status: '0',
    });
    expect(await call('ServerStreaming', ['3'])).toEqual({
      replies: ['pong 1', 'pong 2', 'pong 3'],
      status: '0',
    });
    expect(await call('DuplexStreaming', ['x', 'y'])).toEqual({ replies: ['x', 'y'], status: '0' });
    expect((await call('Nope', [])).status).toBe('12');
    session.close();
  });

  it('drops open connections on a snapshot', async () => {
    await using vm = await startFakeVm();
    await configureBoot(vm);
    const udsPath = await withVsock(vm);
    await bootGuest(vm);
    const { socket } = await vsockConnect(udsPath, 5000);
    const closed = once(socket, 'close');
    await vm.api('PATCH', '/vm', { state: 'Paused' });
    expect(
      (
        await vm.api('PUT', '/snapshot/create', {
          snapshot_path: vm.path('s'),
          mem_file_path: vm.path('m'),
        })
      ).status,
    ).toBe(204);
    await closed;
  });
});

/** A host listener for guest-initiated connections. */
const listen = async (path: string): Promise<{ accepted: Promise<Socket>; close: () => void }> => {
  const server = createServer();
  server.listen(path);
  await once(server, 'listening');
  const accepted = once(server, 'connection').then(([socket]) => socket as Socket);
  return { accepted, close: () => server.close() };
};

describe('vsock (guest-initiated)', () => {
  it('connects to <uds_path>_<port> after boot (KINDLING_FAKE_VSOCK_GUEST_CONNECT)', async () => {
    await using vm = await startFakeVm({ env: { KINDLING_FAKE_VSOCK_GUEST_CONNECT: '7777' } });
    await configureBoot(vm);
    const udsPath = await withVsock(vm);
    const host = await listen(`${udsPath}_7777`);
    await bootTo(vm, 'Running');
    const socket = await host.accepted;
    expect(await echoRoundTrip(socket, 'ping')).toBe('ping');
    socket.destroy();
    host.close();
  });

  it('connects on demand from the serial console, sending a first line', async () => {
    await using vm = await startFakeVm();
    await configureBoot(vm);
    const udsPath = await withVsock(vm);
    const host = await listen(`${udsPath}_52`);
    await bootTo(vm, 'Running');
    await vm.waitForStdout('kindling-fake-guest: ready');
    vm.typeOnSerial('vsock-connect 52 hello from the guest');
    const socket = await host.accepted;
    const [line] = (await once(socket, 'data')) as [Buffer];
    expect(line.toString()).toBe('hello from the guest\n');
    socket.destroy();
    host.close();
  });
});
