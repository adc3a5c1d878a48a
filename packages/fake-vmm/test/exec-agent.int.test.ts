// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { access, readFile } from 'node:fs/promises';
import path from 'node:path';
import { tmpdir } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  EXEC_AGENT_PORT,
  FrameType,
  Multiplexer,
  PROTOCOL_VERSION,
  parseExit,
  parseJsonPayload,
  type ExitMessage,
} from '@kindling/exec-agent/protocol';
import { describe, expect, it } from 'vitest';
import { bootTo, configureBoot, startFakeVm, type FakeVm } from './support/fake-vm.js';
import { vsockConnect } from './support/vsock-client.js';

// The simulated guest's exec agent (@kindling/exec-agent) on vsock port 10000.

// Gives the VM a vsock device and boots it to the marker (its services are up); returns uds_path.
const bootWithVsock = async (vm: FakeVm): Promise<string> => {
  await configureBoot(vm);
  const udsPath = vm.path('v.sock');
  expect((await vm.api('PUT', '/vsock', { guest_cid: 3, uds_path: udsPath })).status).toBe(204);
  await bootTo(vm, 'Running');
  await vm.waitForStdout('kindling-fake-guest: ready');
  return udsPath;
};

const connectAgent = async (udsPath: string, protocol = PROTOCOL_VERSION): Promise<Multiplexer> => {
  const { ok, socket, rest } = await vsockConnect(udsPath, EXEC_AGENT_PORT);
  expect(ok).toMatch(/^OK \d+$/u);
  socket.unshift(rest);
  const mux = new Multiplexer(socket, {
    role: 'host',
    hello: { protocol, host: 'test' },
  });
  socket.resume();
  return mux;
};

// Runs argv; resolves with its stdout and EXIT.
const run = (mux: Multiplexer, argv: string[]): Promise<{ stdout: string; exit: ExitMessage }> =>
  new Promise((resolve, reject) => {
    let stdout = '';
    const stream = mux.openStream({
      onFrame: (frame) => {
        if (frame.type === FrameType.STDOUT) {
          stdout += frame.payload.toString();
          stream.consumed(frame.payload.byteLength);
        } else if (frame.type === FrameType.EXIT) {
          stream.end();
          resolve({ stdout, exit: parseExit(parseJsonPayload(frame.payload, 'EXIT')) });
        } else if (frame.type === FrameType.ERROR) {
          reject(new Error(frame.payload.toString()));
        }
      },
      onClose: reject,
    });
    stream.sendJson(FrameType.OPEN, { op: 'exec', argv });
  });

// Polls, bounded: the watchdog runs on its own, with no event to wait on.
const waitFor = async (check: () => Promise<boolean>): Promise<void> => {
  for (let attempt = 0; attempt < 800 && !(await check()); attempt += 1) {
    await sleep(25);
  }
};

const readPid = async (file: string): Promise<number> => {
  await waitFor(async () => (await readFile(file, 'utf8').catch(() => '')).endsWith('\n'));
  return Number((await readFile(file, 'utf8')).trim());
};

const isRunning = async (pid: number): Promise<boolean> => {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '');
  return stat !== '' && stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
};

// Whether a path exists (other fakes, of other tests, make folders of their own beside it).
const exists = (file: string): Promise<boolean> =>
  access(file).then(
    () => true,
    () => false,
  );

describe('the exec agent of the simulated guest', () => {
  it('runs commands in a private temporary folder, removed when the fake exits', async () => {
    const vm = await startFakeVm();
    const udsPath = await bootWithVsock(vm);
    const mux = await connectAgent(udsPath);
    await expect(mux.remoteHello).resolves.toMatchObject({ protocol: PROTOCOL_VERSION });
    const { stdout, exit } = await run(mux, ['pwd']);
    expect(exit).toEqual({ exitCode: 0, signal: null, timedOut: false });
    expect(stdout).toMatch(new RegExp(`^${tmpdir()}/kindling-fake-exec-\\d+-\\w+/root\\n$`, 'u'));
    const folder = path.dirname(stdout.trim());
    expect(await exists(folder)).toBe(true);
    await vm[Symbol.asyncDispose]();
    await expect(mux.closed).resolves.toMatchObject({ code: 'ERR_EXEC_CONNECTION_CLOSED' });
    expect(await exists(folder)).toBe(false);
  });

  it('announces the protocol of KINDLING_FAKE_EXEC_PROTOCOL, so a host refuses it', async () => {
    await using vm = await startFakeVm({ env: { KINDLING_FAKE_EXEC_PROTOCOL: '99' } });
    const udsPath = await bootWithVsock(vm);
    const mux = await connectAgent(udsPath);
    await expect(mux.remoteHello).rejects.toMatchObject({
      code: 'ERR_EXEC_AGENT_VERSION',
      message: expect.stringMatching(
        /^Exec protocol mismatch: @kindling\/exec-agent \S+ speaks protocol 99 but the host \(@kindling\/ext-exec\) test speaks protocol 1: /u,
      ),
    });
  });

  it('leaves no command or folder behind when the fake is killed with SIGKILL mid-exec', async () => {
    await using vm = await startFakeVm({ spawn: true });
    const udsPath = await bootWithVsock(vm);
    const mux = await connectAgent(udsPath);
    const { stdout } = await run(mux, ['sh', '-c', 'echo "$PWD/pid"']);
    const pending = run(mux, ['sh', '-c', 'echo $$ > pid.tmp && mv pid.tmp pid; exec sleep 60']);
    const sleepPid = await readPid(stdout.trim());
    // Caught at once: it fails while the kill is awaited.
    const failed = pending.catch((error: unknown) => error);
    await vm.kill();
    expect(await failed).toMatchObject({ code: 'ERR_EXEC_CONNECTION_CLOSED' });
    const folder = path.dirname(path.dirname(stdout.trim()));
    await waitFor(async () => !(await exists(folder)));
    expect(await exists(folder)).toBe(false);
    // Killed, so gone or a zombie waiting for init to reap it.
    await waitFor(async () => !(await isRunning(sleepPid)));
    expect(await isRunning(sleepPid)).toBe(false);
  });
});
