// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import type { ProcessHandleExit } from '@kindling/executor';
import { ProcessError, type VmmProcess } from '@kindling/process';
import { ResourceSystem } from '@kindling/vmm-core';
import { describe, expect, it } from 'vitest';
import { VmError } from './errors.js';
import type { ResolvedVmPrepareOptions } from './prepare-options.js';
import { readFirecrackerWords } from './start-failure.js';
import { VmCore } from './vm-core.js';

interface ProcessScript {
  /** What `kill()` does: end the process with this exit, or throw. */
  readonly onKill: ProcessHandleExit | Error;
  /** An exit the process comes to by itself once the core starts watching it. */
  readonly endsBy?: ProcessHandleExit;
}

// A VmmProcess stand-in that ends as the script says, recording the calls made to it.
const scriptedProcess = (script: ProcessScript) => {
  const calls: string[] = [];
  let exit: ProcessHandleExit | undefined;
  let resolveExit!: (exit: ProcessHandleExit) => void;
  const exited = new Promise<ProcessHandleExit>((resolve) => {
    resolveExit = resolve;
  });
  const end = (value: ProcessHandleExit): void => {
    exit = value;
    resolveExit(value);
  };
  const process = {
    pid: 4242,
    get state() {
      return exit === undefined ? 'started' : 'crashed';
    },
    get exit() {
      return exit;
    },
    get exited() {
      return exited;
    },
    kill: () => {
      calls.push('kill');
      if (script.onKill instanceof Error) {
        throw script.onKill;
      }
      end(script.onKill);
      return true;
    },
    waitForExit: () => {
      calls.push('waitForExit');
      return exited;
    },
    readOutputTail: () => Promise.resolve('[stderr]\nError: RunWithApi(BuildFromJson(…))'),
  };
  return { process: process as unknown as VmmProcess, calls, end };
};

const createCore = (process: VmmProcess) => {
  const ends: string[] = [];
  const core = new VmCore(
    {
      options: { logger: undefined } as unknown as ResolvedVmPrepareOptions,
      resourceSystem: new ResourceSystem(),
      files: new Map(),
      process,
      handleKind: { current: 'attached' },
    },
    (state, exit) => ends.push(`${state} ${JSON.stringify(exit)}`),
  );
  core.markLaunched();
  core.watchExit();
  return { core, ends };
};

const refusal = new VmError('ERR_API_RESPONSE', 'vm.start(): Firecracker rejected PUT /metrics');
const brokenConnection = new ProcessError('ERR_API_REQUEST', 'GET / did not complete', {
  cause: new Error('other side closed'),
});

describe('VmCore.abandon', () => {
  it('kills a process that is still up, and says so', async () => {
    const { process, calls } = scriptedProcess({
      onKill: { kind: 'signaled', signal: 'SIGKILL' },
    });
    const { core, ends } = createCore(process);
    await expect(core.abandon(refusal)).resolves.toEqual({
      exit: { kind: 'signaled', signal: 'SIGKILL' },
      killSent: true,
    });
    expect(calls).toEqual(['kill', 'waitForExit']);
    expect(core.state).toBe('exited');
    expect(ends).toEqual(['exited {"kind":"signaled","signal":"SIGKILL"}']);
  });

  it('claims no kill when the process ended by itself after its connection broke', async () => {
    const { process, calls, end } = scriptedProcess({
      onKill: { kind: 'signaled', signal: 'SIGKILL' },
    });
    const { core, ends } = createCore(process);
    const abandoned = core.abandon(brokenConnection);
    end({ kind: 'signaled', signal: 'SIGABRT' });
    await expect(abandoned).resolves.toEqual({
      exit: { kind: 'signaled', signal: 'SIGABRT' },
      killSent: false,
    });
    expect(calls).toEqual(['waitForExit']);
    expect(core.state).toBe('crashed');
    expect(ends).toEqual(['crashed {"kind":"signaled","signal":"SIGABRT"}']);
  });

  it('throws a kill that failed with the start error, never hiding either', async () => {
    const killError = new Error('EPERM: operation not permitted');
    const { process } = scriptedProcess({ onKill: killError });
    const { core, ends } = createCore(process);
    const error = await core.abandon(refusal).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(VmError);
    expect(error).toMatchObject({
      code: 'ERR_START_FAILED',
      message:
        'vm.start(): Firecracker rejected PUT /metrics; and Firecracker (pid 4242) could not be killed: EPERM: operation not permitted',
    });
    const cause = (error as Error).cause as AggregateError;
    expect(cause).toBeInstanceOf(AggregateError);
    expect(cause.errors).toEqual([refusal, killError]);
    expect(core.processUp).toBe(true);
    expect(ends).toEqual([]);
  });
});

describe('readFirecrackerWords', () => {
  it("quotes the process's output under a heading", async () => {
    const { process } = scriptedProcess({ onKill: { kind: 'signaled', signal: 'SIGKILL' } });
    const { core } = createCore(process);
    await expect(readFirecrackerWords(core, { output: true })).resolves.toBe(
      '; what Firecracker wrote:\n[stderr]\nError: RunWithApi(BuildFromJson(…))',
    );
    await expect(readFirecrackerWords(core, { output: false })).resolves.toBe('');
  });
});
