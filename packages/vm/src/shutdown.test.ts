// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import type { ProcessHandleExit } from '@kindling/executor';
import { describe, expect, it } from 'vitest';
import { VmError } from './errors.js';
import {
  resolveShutdownActions,
  runShutdownSequence,
  type ResolvedShutdownAction,
  type ShutdownRunner,
} from './shutdown.js';

interface Script {
  readonly perform?: (action: ResolvedShutdownAction) => void;
  /** The exit each action brings about, by method; none means the wait times out. */
  readonly exits: Partial<Record<ResolvedShutdownAction['method'], ProcessHandleExit>>;
}

const scriptedRunner = (script: Script) => {
  const log: string[] = [];
  let pending: ProcessHandleExit | undefined;
  let ended: ProcessHandleExit | undefined;
  const runner: ShutdownRunner = {
    get exit() {
      return ended;
    },
    // A throw of the script's perform rejects the promise, as a failing action does.
    perform: (action) =>
      new Promise<void>((resolve) => {
        log.push(`perform ${action.method}`);
        pending = script.exits[action.method];
        script.perform?.(action);
        resolve();
      }),
    waitForExit: (timeoutMs) => {
      log.push(`wait ${timeoutMs}`);
      if (pending === undefined) {
        return Promise.reject(
          new VmError('ERR_SHUTDOWN_TIMEOUT', `still running after ${timeoutMs} ms`),
        );
      }
      ended = pending;
      return Promise.resolve(pending);
    },
  };
  return { runner, log, end: (exit: ProcessHandleExit) => (ended = exit) };
};

describe('resolveShutdownActions', () => {
  it('applies defaults by method', () => {
    expect(
      resolveShutdownActions([
        { method: 'ctrl-alt-del' },
        { method: 'write-serial' },
        { method: 'pause-then-kill' },
        { method: 'kill', timeoutMs: 50 },
      ]),
    ).toEqual([
      { method: 'ctrl-alt-del', timeoutMs: 10_000, graceful: true, input: 'reboot\n' },
      { method: 'write-serial', timeoutMs: 10_000, graceful: true, input: 'reboot\n' },
      { method: 'pause-then-kill', timeoutMs: 5_000, graceful: false, input: 'reboot\n' },
      { method: 'kill', timeoutMs: 50, graceful: false, input: 'reboot\n' },
    ]);
  });

  it.each([
    [[], 'actions: expected a non-empty array of shutdown actions, got []'],
    [
      [{ method: 'poweroff' }],
      'actions[0].method: expected one of ctrl-alt-del, write-serial, pause-then-kill, kill, got "poweroff"',
    ],
    [
      [{ method: 'kill', timeoutMs: 0 }],
      'actions[0].timeoutMs: expected a positive integer up to 2147483647, got 0',
    ],
    [[{ method: 'kill', input: 'x' }], "actions[0].input: is for method 'write-serial' only"],
    [[{ method: 'kill', graceful: 'no' }], 'actions[0].graceful: expected true or false, got "no"'],
    [[{ method: 'kill', timeout: 5 }], 'actions[0].timeout: unknown key; did you mean timeoutMs?'],
  ])('refuses %j', (actions, message) => {
    expect(() => resolveShutdownActions(actions)).toThrow(message);
  });
});

describe('runShutdownSequence', () => {
  it('stops at the first action that ends the process', async () => {
    const { runner, log } = scriptedRunner({
      exits: { 'ctrl-alt-del': { kind: 'exited', code: 0 } },
    });
    const outcome = await runShutdownSequence(
      resolveShutdownActions([{ method: 'ctrl-alt-del', timeoutMs: 100 }, { method: 'kill' }]),
      runner,
    );
    expect(outcome).toEqual({
      alreadyDown: false,
      method: 'ctrl-alt-del',
      index: 0,
      graceful: true,
      exit: { kind: 'exited', code: 0 },
      failures: [],
    });
    expect(log).toEqual(['perform ctrl-alt-del', 'wait 100']);
  });

  it('falls through to the next action and reports the failures before it', async () => {
    const { runner, log } = scriptedRunner({
      exits: { kill: { kind: 'signaled', signal: 'SIGKILL' } },
    });
    const outcome = await runShutdownSequence(
      resolveShutdownActions([
        { method: 'ctrl-alt-del', timeoutMs: 20 },
        { method: 'kill', timeoutMs: 30 },
      ]),
      runner,
    );
    expect(outcome.method).toBe('kill');
    expect(outcome.index).toBe(1);
    expect(outcome.graceful).toBe(false);
    expect(outcome.failures).toHaveLength(1);
    expect(outcome.failures[0]).toMatchObject({ index: 0, method: 'ctrl-alt-del' });
    expect(outcome.failures[0]?.error).toMatchObject({ message: 'still running after 20 ms' });
    expect(log).toEqual(['perform ctrl-alt-del', 'wait 20', 'perform kill', 'wait 30']);
  });

  it('is not graceful when a graceful action ends the process with a failure', async () => {
    const { runner } = scriptedRunner({ exits: { 'write-serial': { kind: 'exited', code: 1 } } });
    const outcome = await runShutdownSequence(
      resolveShutdownActions([{ method: 'write-serial' }]),
      runner,
    );
    expect(outcome.graceful).toBe(false);
  });

  it('counts an unseen exit of a graceful action as graceful, and a forced one as not', async () => {
    const { runner } = scriptedRunner({ exits: { 'ctrl-alt-del': { kind: 'unknown' } } });
    expect(
      (await runShutdownSequence(resolveShutdownActions([{ method: 'ctrl-alt-del' }]), runner))
        .graceful,
    ).toBe(true);
    const forced = scriptedRunner({ exits: { 'ctrl-alt-del': { kind: 'exited', code: 0 } } });
    expect(
      (
        await runShutdownSequence(
          resolveShutdownActions([{ method: 'ctrl-alt-del', graceful: false }]),
          forced.runner,
        )
      ).graceful,
    ).toBe(false);
  });

  it('credits an action whose request failed because the process ended under it', async () => {
    const scripted = scriptedRunner({
      exits: {},
      perform: () => {
        scripted.end({ kind: 'exited', code: 0 });
        throw new Error('socket hang up');
      },
    });
    const outcome = await runShutdownSequence(
      resolveShutdownActions([{ method: 'ctrl-alt-del' }, { method: 'kill' }]),
      scripted.runner,
    );
    expect(outcome).toMatchObject({
      method: 'ctrl-alt-del',
      index: 0,
      graceful: true,
      failures: [],
    });
  });

  it('throws ERR_SHUTDOWN_FAILED with every failure when no action works', async () => {
    const { runner } = scriptedRunner({ exits: {} });
    const promise = runShutdownSequence(
      resolveShutdownActions([
        { method: 'ctrl-alt-del', timeoutMs: 1 },
        { method: 'kill', timeoutMs: 2 },
      ]),
      runner,
    );
    await expect(promise).rejects.toMatchObject({
      code: 'ERR_SHUTDOWN_FAILED',
      message: expect.stringContaining(
        '1. ctrl-alt-del: still running after 1 ms; 2. kill: still running after 2 ms',
      ),
    });
    const error = (await promise.catch((caught: unknown) => caught)) as VmError;
    expect((error.cause as AggregateError).errors).toHaveLength(2);
  });

  it('stops with the abort reason when aborted', async () => {
    const controller = new AbortController();
    const { runner, log } = scriptedRunner({
      exits: {},
      perform: () => controller.abort(new Error('stop')),
    });
    await expect(
      runShutdownSequence(
        resolveShutdownActions([{ method: 'ctrl-alt-del' }, { method: 'kill' }]),
        runner,
        controller.signal,
      ),
    ).rejects.toThrow('stop');
    expect(log).toEqual(['perform ctrl-alt-del', 'wait 10000']);
  });
});
