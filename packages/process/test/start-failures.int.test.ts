// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { readdir } from 'node:fs/promises';
import { FAKE_ONLY, isRealBackend } from '@kindling/fake-vmm';
import { isAlive } from '@kindling/test-utils';
import { describe, expect, it } from 'vitest';
import { FakeSetup } from './support/fake-setup.js';
import { rejection } from './support/assertions.js';

describe('VmmProcess start-up failures against the fake Firecracker', () => {
  it.skipIf(isRealBackend)(
    `times out on a socket that comes up too late, and kills the process [${FAKE_ONLY}]`,
    async () => {
      await using setup = await FakeSetup.create({ socketDelayMs: 20_000 });
      await using vmm = setup.createProcess({
        id: 'slow-1',
        process: { socketWaitTimeoutMs: 300 },
      });
      await vmm.prepare();
      const error = await rejection(vmm.invoke());
      expect(error).toMatchObject({ name: 'ProcessError', code: 'ERR_SOCKET_WAIT_TIMEOUT' });
      expect((error as Error).message).toContain('within 300 ms');
      expect(vmm.state).toBe('crashed');
      expect(isAlive(vmm.pid as number)).toBe(false);
      await vmm.cleanup();
      expect(await setup.leftovers()).toEqual([]);
    },
  );

  it.skipIf(isRealBackend)(
    `waits for a socket that comes up late, but in time [${FAKE_ONLY}]`,
    async () => {
      await using setup = await FakeSetup.create({ socketDelayMs: 400 });
      await using vmm = setup.createProcess({ id: 'late-1' });
      await vmm.prepare();
      await vmm.invoke();
      expect((await vmm.api.get('/')).status).toBe(200);
    },
  );

  it.skipIf(isRealBackend)(
    `fails fast, with the exit code and its output, when Firecracker exits at start-up [${FAKE_ONLY}]`,
    async () => {
      await using setup = await FakeSetup.create({
        exitRules: [{ point: 'startup', outcome: { exitCode: 1 } }],
      });
      await using vmm = setup.createProcess({
        id: 'crash-1',
        process: { socketWaitTimeoutMs: 20_000 },
      });
      await vmm.prepare();
      const started = Date.now();
      const error = await rejection(vmm.invoke());
      expect(Date.now() - started).toBeLessThan(10_000);
      expect(error).toMatchObject({ code: 'ERR_SOCKET_WAIT_EXITED' });
      expect((error as Error).message).toMatch(
        /^The process exited with code 1 before its API socket /u,
      );
      expect(vmm.state).toBe('crashed');
      expect(vmm.exit).toEqual({ kind: 'exited', code: 1 });
      await vmm.cleanup();
      expect(await readdir(setup.stateDir)).toEqual([]);
      expect(await setup.leftovers()).toEqual([]);
    },
  );

  it.skipIf(isRealBackend)(
    `reports a start-up death by signal as crashed, never as a clean exit [${FAKE_ONLY}]`,
    async () => {
      await using setup = await FakeSetup.create({
        exitRules: [{ point: 'startup', outcome: { signal: 'SIGABRT' } }],
      });
      await using vmm = setup.createProcess({ id: 'abort-1' });
      await vmm.prepare();
      const error = await rejection(vmm.invoke());
      expect((error as Error).message).toMatch(
        /^The process was killed by SIGABRT before its API socket/u,
      );
      expect(vmm.exit).toEqual({ kind: 'signaled', signal: 'SIGABRT' });
      expect(vmm.state).toBe('crashed');
    },
  );

  it('fails on the arguments Firecracker itself rejects, quoting what it printed', async () => {
    await using setup = await FakeSetup.create();
    await using vmm = setup.createProcess({
      id: 'badfile-1',
      vmmArguments: { configFile: '/nonexistent/kindling/config.json' },
    });
    await vmm.prepare();
    const error = await rejection(vmm.invoke());
    expect(error).toMatchObject({ code: 'ERR_SOCKET_WAIT_EXITED' });
    expect((error as Error).message).toMatch(/the last lines of its output:\n\[std(err|out)\]\n/u);
  });
});
