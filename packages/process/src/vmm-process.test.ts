// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { isAlive, waitUntilGone } from '@kindling/test-utils';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { text } from 'node:stream/consumers';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { StubExecutor, stubContext } from '../test/support/stub-executor.js';
import { ProcessError } from './errors.js';
import { inspectOrphanGuard } from './orphan-guard.js';
import { VmmProcess } from './vmm-process.js';
import { rejection, thrown, wrongState } from '../test/support/assertions.js';

let stub: StubExecutor;
let stateDir: string;

const createProcess = (options: { socketWaitTimeoutMs?: number } = {}): VmmProcess =>
  new VmmProcess({ executor: stub, context: stubContext(), stateDir, ...options });

beforeEach(async () => {
  stub = await StubExecutor.create();
  stateDir = await mkdtemp(path.join(os.tmpdir(), 'kindling-state-'));
});

afterEach(async () => {
  await stub.dispose();
  await rm(stateDir, { recursive: true, force: true });
});

describe('VmmProcess', () => {
  it('goes through prepare, invoke, kill and cleanup, leaving nothing behind', async () => {
    const vmm = createProcess();
    expect(vmm.state).toBe('awaiting-prepare');
    await vmm.prepare();
    expect(vmm.state).toBe('awaiting-start');
    await vmm.invoke();
    expect(vmm.state).toBe('started');
    const pid = vmm.pid as number;
    expect(isAlive(pid)).toBe(true);
    expect((await vmm.api.get('/')).body).toEqual({ id: 'stub', state: 'Not started' });
    expect(inspectOrphanGuard().guarded).toBe(1);
    const records = await readdir(stateDir);
    expect(records).toHaveLength(1);
    const record = JSON.parse(await readFile(path.join(stateDir, String(records[0])), 'utf8'));
    expect(record).toMatchObject({
      pid,
      kind: 'attached',
      owner: { pid: process.pid },
      socketPath: vmm.socketPath,
    });
    expect(vmm.kill()).toBe(true);
    expect(await vmm.waitForExit()).toEqual({ kind: 'signaled', signal: 'SIGKILL' });
    expect(vmm.state).toBe('crashed');
    // Its files stay guarded until cleanup: Node going down now would still remove them.
    expect(inspectOrphanGuard()).toMatchObject({ guarded: 0, sweepers: 1, installed: true });
    await vmm.cleanup();
    await vmm.cleanup();
    expect(inspectOrphanGuard()).toMatchObject({ sweepers: 0, installed: false });
    expect(stub.calls).toEqual(['prepare', 'invoke', 'cleanup']);
    expect(stub.leftovers()).toBe(false);
    expect(await readdir(stateDir)).toEqual([]);
  });

  it('ends "exited" after Ctrl+Alt+Del makes the VMM exit 0', async () => {
    await using vmm = createProcess();
    await vmm.prepare();
    await vmm.invoke();
    await vmm.sendCtrlAltDel();
    expect(await vmm.waitForExit()).toEqual({ kind: 'exited', code: 0 });
    expect(vmm.state).toBe('exited');
    expect(vmm.exit).toEqual({ kind: 'exited', code: 0 });
  });

  it('refuses every call made in the wrong state, naming the state it needs', async () => {
    await using vmm = createProcess();
    expect(await rejection(vmm.invoke())).toBeInstanceOf(ProcessError);
    expect(await rejection(vmm.invoke())).toMatchObject(
      wrongState(/invoke\(\) needs .*"awaiting-start".*"awaiting-prepare"/u),
    );
    expect(await rejection(vmm.cleanup())).toMatchObject(
      wrongState(/cleanup\(\) needs .*"awaiting-start" or "exited" or "crashed"/u),
    );
    expect(thrown(() => vmm.kill())).toMatchObject(wrongState(/kill\(\) needs .*"started"/u));
    expect(await rejection(vmm.waitForExit())).toMatchObject(wrongState(/waitForExit\(\) needs/u));
    expect(await rejection(vmm.sendCtrlAltDel())).toMatchObject(
      wrongState(/sendCtrlAltDel\(\) needs .*"started"/u),
    );
    expect(thrown(() => vmm.api)).toMatchObject(wrongState(/api needs .*"started"/u));
    expect(thrown(() => vmm.takeStdout())).toMatchObject(wrongState(/takeStdout\(\) needs/u));
    await vmm.prepare();
    expect(await rejection(vmm.prepare())).toMatchObject(
      wrongState(/prepare\(\) needs .*"awaiting-prepare".*"awaiting-start"/u),
    );
    expect(thrown(() => vmm.kill())).toMatchObject(wrongState(/"awaiting-start"/u));
    await vmm.invoke();
    expect(await rejection(vmm.prepare())).toMatchObject(wrongState(/"started"/u));
    expect(await rejection(vmm.invoke())).toMatchObject(wrongState(/"started"/u));
    expect(await rejection(vmm.cleanup())).toMatchObject(
      wrongState(/cleanup\(\) needs .* but it is "started"/u),
    );
    vmm.kill();
    await vmm.waitForExit();
    expect(thrown(() => vmm.kill())).toMatchObject(wrongState(/but it is "crashed"/u));
    expect(await rejection(vmm.invoke())).toMatchObject(wrongState(/but it is "crashed"/u));
    expect(thrown(() => vmm.api)).toMatchObject(wrongState(/but it is "crashed"/u));
    await vmm.cleanup();
    expect(await rejection(vmm.prepare())).toMatchObject(
      wrongState(/cleaned up: create a new VmmProcess/u),
    );
  });

  it('refuses a second call while one is in progress', async () => {
    await using vmm = createProcess();
    const first = vmm.prepare();
    expect(await rejection(vmm.prepare())).toMatchObject(
      wrongState(/while prepare\(\) is in progress/u),
    );
    await first;
  });

  it('fails fast with the exit code and output when the VMM dies before its socket', async () => {
    stub.mode = 'crash';
    await using vmm = createProcess({ socketWaitTimeoutMs: 20_000 });
    await vmm.prepare();
    const error = await rejection(vmm.invoke());
    expect(error).toMatchObject({ code: 'ERR_SOCKET_WAIT_EXITED' });
    expect((error as Error).message).toContain('exited with code 1');
    expect((error as Error).message).toContain('[stderr]\nstub: fatal');
    expect((error as Error).message).toContain(
      '[stdout]\nstub: starting\nstub: Failed to open the API socket',
    );
    expect(vmm.state).toBe('crashed');
    expect(vmm.exit).toEqual({ kind: 'exited', code: 1 });
  });

  it('kills a VMM whose socket does not come up in time', async () => {
    stub.mode = 'silent';
    await using vmm = createProcess({ socketWaitTimeoutMs: 200 });
    await vmm.prepare();
    const error = await rejection(vmm.invoke());
    expect(error).toMatchObject({ code: 'ERR_SOCKET_WAIT_TIMEOUT' });
    expect(vmm.state).toBe('crashed');
    await waitUntilGone(vmm.pid as number, 1_000);
  });

  it('waits for a socket that comes up late', async () => {
    stub.delayMs = 300;
    await using vmm = createProcess();
    await vmm.prepare();
    await vmm.invoke();
    expect((await vmm.api.get('/')).status).toBe(200);
  });

  it('undoes a failed prepare and wraps the executor error', async () => {
    stub.failPrepare = true;
    await using vmm = createProcess();
    const error = await rejection(vmm.prepare());
    expect(error).toMatchObject({ code: 'ERR_EXECUTOR' });
    expect((error as Error).message).toBe('prepare() failed: stub prepare failed');
    expect((error as Error).cause).toBeInstanceOf(Error);
    expect(stub.calls).toEqual(['prepare', 'cleanup']);
    expect(stub.leftovers()).toBe(false);
    expect(vmm.state).toBe('awaiting-prepare');
  });

  it('stays in awaiting-start when the executor cannot invoke', async () => {
    stub.failInvoke = true;
    await using vmm = createProcess();
    await vmm.prepare();
    expect(await rejection(vmm.invoke())).toMatchObject({ code: 'ERR_EXECUTOR' });
    expect(vmm.state).toBe('awaiting-start');
  });

  it('hands stdout over once, with what it wrote since start', async () => {
    await using vmm = createProcess();
    await vmm.prepare();
    await vmm.invoke();
    const stdout = vmm.takeStdout();
    expect(thrown(() => vmm.takeStdout())).toMatchObject({ code: 'ERR_STDIO_TAKEN' });
    vmm.kill();
    expect(await text(stdout)).toBe('stub: starting\n');
  });

  it('hands stdin over once: what is written reaches the process, and ending it ends its input', async () => {
    stub.noApi = true;
    stub.mode = 'echo';
    await using vmm = createProcess();
    await vmm.prepare();
    await vmm.invoke();
    const stdin = vmm.takeStdin();
    expect(thrown(() => vmm.takeStdin())).toMatchObject({
      code: 'ERR_STDIO_TAKEN',
      message: 'takeStdin(): stdin was already taken; take it once',
    });
    const stdout = vmm.takeStdout();
    stdin.end('hello from the host\n');
    expect(await text(stdout)).toBe('stub: starting\nhello from the host\n');
    expect(await vmm.exited).toEqual({ kind: 'exited', code: 3 });
  });

  it('says when stdin is not piped, and refuses takeStdin() before start', async () => {
    stub.pipeStdin = false;
    await using vmm = createProcess();
    expect(thrown(() => vmm.takeStdin())).toMatchObject(wrongState(/^takeStdin\(\) needs/u));
    await vmm.prepare();
    await vmm.invoke();
    expect(thrown(() => vmm.takeStdin())).toMatchObject({
      name: 'ProcessError',
      code: 'ERR_STDIO_UNAVAILABLE',
      message: expect.stringMatching(/^takeStdin\(\): the process's stdin is not piped/u),
    });
  });

  it('settles exited when the process ends, with how it ended, without a timeout', async () => {
    await using vmm = createProcess();
    expect(thrown(() => vmm.exited)).toMatchObject(wrongState(/^exited needs/u));
    await vmm.prepare();
    await vmm.invoke();
    const { exited } = vmm;
    expect(vmm.exited).toBe(exited);
    // The process is running: the promise is still pending after a full event-loop turn.
    const turn = new Promise<string>((resolve) => {
      setImmediate(resolve, 'pending');
    });
    expect(await Promise.race([exited.then(() => 'settled'), turn])).toBe('pending');
    await vmm.sendCtrlAltDel();
    expect(await exited).toEqual({ kind: 'exited', code: 0 });
    // By then the state says so too.
    expect(vmm.state).toBe('exited');
    expect(vmm.exit).toEqual({ kind: 'exited', code: 0 });
    expect(await vmm.exited).toEqual({ kind: 'exited', code: 0 });
  });

  it('settles exited with the signal of a killed process', async () => {
    await using vmm = createProcess();
    await vmm.prepare();
    await vmm.invoke();
    vmm.kill();
    expect(await vmm.exited).toEqual({ kind: 'signaled', signal: 'SIGKILL' });
    expect(vmm.state).toBe('crashed');
  });

  it('rejects exited with ERR_EXECUTOR when the end cannot be observed', async () => {
    const cause = new Error('/proc is not readable');
    stub.noApi = true;
    stub.invoke = (): ReturnType<StubExecutor['invoke']> => {
      const unobservable = Promise.reject(cause);
      return Promise.resolve({
        kind: 'detached',
        pid: 2_147_483_000,
        startTime: undefined,
        stdin: null,
        stdout: null,
        stderr: null,
        exit: undefined,
        exited: unobservable,
        kill: () => false,
        wait: () => unobservable,
      });
    };
    await using vmm = createProcess();
    await vmm.prepare();
    await vmm.invoke();
    expect(await rejection(vmm.exited)).toMatchObject({
      name: 'ProcessError',
      code: 'ERR_EXECUTOR',
      message: 'exited: the exit of process 2147483000 could not be observed',
      cause,
    });
    expect(vmm.state).toBe('crashed');
  });

  it('runs without an API socket, and says so when asked for the client', async () => {
    stub.noApi = true;
    stub.mode = 'silent';
    await using vmm = createProcess();
    await vmm.prepare();
    await vmm.invoke();
    expect(vmm.socketPath).toBeUndefined();
    expect(thrown(() => vmm.api)).toMatchObject({ code: 'ERR_API_DISABLED' });
  });

  it('disposes a running process: killed, cleaned up, unrecorded; twice is harmless', async () => {
    const vmm = createProcess();
    await vmm.prepare();
    await vmm.invoke();
    const pid = vmm.pid as number;
    await vmm[Symbol.asyncDispose]();
    await vmm[Symbol.asyncDispose]();
    expect(isAlive(pid)).toBe(false);
    expect(vmm.state).toBe('crashed');
    expect(stub.leftovers()).toBe(false);
    expect(await readdir(stateDir)).toEqual([]);
    expect(inspectOrphanGuard().installed).toBe(false);
    expect(await rejection(vmm.invoke())).toMatchObject(
      wrongState(/disposed: create a new VmmProcess/u),
    );
  });

  it('records the jail folder an executor reports, for reconcile() to remove', async () => {
    stub.reportedJailPath = path.join(stub.dir, 'jail');
    await using vmm = createProcess();
    await vmm.prepare();
    await vmm.invoke();
    const [record] = await readdir(stateDir);
    expect(JSON.parse(await readFile(path.join(stateDir, String(record)), 'utf8'))).toMatchObject({
      pid: vmm.pid,
      jailPath: path.join(stub.dir, 'jail'),
    });
  });

  it('records nothing with stateDir: false', async () => {
    await using vmm = new VmmProcess({ executor: stub, context: stubContext(), stateDir: false });
    await vmm.prepare();
    await vmm.invoke();
    expect(await readdir(stateDir)).toEqual([]);
  });

  it('rejects bad options with ERR_INVALID_INPUT', () => {
    expect(
      thrown(
        () => new VmmProcess({ executor: stub, context: stubContext(), socketWaitTimeoutMs: 0 }),
      ),
    ).toMatchObject({ code: 'ERR_INVALID_INPUT' });
    expect(
      thrown(() => new VmmProcess({ executor: stub, context: stubContext(), stateDir: '' })),
    ).toMatchObject({ code: 'ERR_INVALID_INPUT' });
  });
});
