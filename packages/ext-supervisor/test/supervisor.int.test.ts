// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { setTimeout as delay } from 'node:timers/promises';
import { catchError } from '@kindling/test-utils';
import { jailed } from '@kindling/test-vm';
import type { Vm, VmSnapshot } from '@kindling/vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  link,
  Supervisor,
  type ChildRestartDetail,
  type ChildSpec,
  type GiveUpDetail,
  type SupervisorOptions,
} from '../src/index.js';
import {
  createSupervisedVms,
  defined,
  nextEvent,
  waitUntil,
  type SupervisedVms,
} from './support/supervised-vms.js';

const supervise = (options: SupervisorOptions): Supervisor =>
  new Supervisor({ maxRestarts: 10, withinMs: 60_000, ...options });
const vmOf = (supervisor: Supervisor, id: string): Vm => defined(supervisor.children.get(id));
// The next `count` restart events, in the order they came.
const restarts = async (supervisor: Supervisor, count: number): Promise<ChildRestartDetail[]> => {
  const seen: ChildRestartDetail[] = [];
  for (const _ of Array.from({ length: count })) {
    seen.push((await nextEvent<ChildRestartDetail>(supervisor, 'restart')).detail);
  }
  return seen;
};

describe('Supervisor', () => {
  let vms: SupervisedVms;
  beforeAll(async () => {
    vms = await createSupervisedVms('supervisor');
  });
  afterAll(async () => {
    await vms[Symbol.asyncDispose]();
  });

  const child = (id: string, extra: Partial<ChildSpec> = {}): ChildSpec => ({
    id,
    start: (context) => vms.startVm(context),
    ...extra,
  });
  it('starts its children in order and stops them in reverse order, cleaned up', async () => {
    await using supervisor = supervise({ children: [child('a'), child('b'), child('c')] });
    await supervisor.start();
    expect(supervisor.state).toBe('running');
    expect([...supervisor.children.keys()]).toEqual(['a', 'b', 'c']);
    const started = [...supervisor.children.values()];
    expect(started.map((vm) => vm.state)).toEqual(['running', 'running', 'running']);
    const order: Vm[] = [];
    for (const vm of started) {
      vm.addEventListener('exit', () => order.push(vm));
    }
    await supervisor.stop();
    expect(order).toStrictEqual(started.toReversed());
    expect(await supervisor.done).toEqual({ reason: 'stopped' });
    expect(supervisor.children.size).toBe(0);
    // Cleaned up: a cleaned-up VM refuses its API.
    await expect(defined(started[0]).getInfo()).rejects.toMatchObject({ code: 'ERR_WRONG_STATE' });
    expect(await catchError(supervisor.start())).toMatchObject({
      code: 'ERR_WRONG_STATE',
      message: expect.stringContaining('but it is "stopped": make a new Supervisor'),
    });
  });

  it('one-for-one: restarts only the child that crashed, cold, and says how long it took', async () => {
    await using supervisor = supervise({ children: [child('a'), child('b')] });
    await supervisor.start();
    const [a, b] = [vmOf(supervisor, 'a'), vmOf(supervisor, 'b')];
    const crashed = nextEvent(supervisor, 'crash');
    const restarted = restarts(supervisor, 1);
    await vms.crash(a);
    expect((await crashed).detail).toMatchObject({
      id: 'a',
      exit: { kind: 'signaled', signal: 'SIGKILL' },
    });
    const [detail] = await restarted;
    expect(detail).toMatchObject({ id: 'a', cause: 'a', from: 'cold', attempt: 2 });
    expect(defined(detail).latencyMs).toBeGreaterThan(0);
    expect(defined(detail).previous).toBe(a);
    expect(vmOf(supervisor, 'a')).toBe(defined(detail).vm);
    expect(vmOf(supervisor, 'a').state).toBe('running');
    expect(vmOf(supervisor, 'b')).toBe(b);
    expect(b.state).toBe('running');
  });

  it('one-for-all: restarts every child, after shutting the others down', async () => {
    await using supervisor = supervise({
      strategy: 'one-for-all',
      children: [child('a'), child('b'), child('c')],
    });
    await supervisor.start();
    const before = [...supervisor.children.values()];
    const restarted = restarts(supervisor, 3);
    await vms.crash(defined(before[1]));
    const details = await restarted;
    expect(details.map((detail) => [detail.id, detail.cause])).toEqual([
      ['a', 'b'],
      ['b', 'b'],
      ['c', 'b'],
    ]);
    expect(before.map((vm) => vm.state)).toEqual(['exited', 'crashed', 'exited']);
    expect([...supervisor.children.values()].map((vm) => vm.state)).toEqual([
      'running',
      'running',
      'running',
    ]);
  });

  it('rest-for-one: restarts the child and those started after it', async () => {
    await using supervisor = supervise({
      strategy: 'rest-for-one',
      children: [child('a'), child('b'), child('c')],
    });
    await supervisor.start();
    const before = [...supervisor.children.values()];
    const restarted = restarts(supervisor, 2);
    await vms.crash(defined(before[1]));
    expect((await restarted).map((detail) => detail.id)).toEqual(['b', 'c']);
    expect(vmOf(supervisor, 'a')).toBe(before[0]);
    expect(before.map((vm) => vm.state)).toEqual(['running', 'crashed', 'exited']);
  });

  it('restarts from the snapshot when one is configured, and cold when the restore fails', async () => {
    const snapshot = await vms.snapshotAside();
    let restore = (from: VmSnapshot): Promise<Vm> => vms.restoreVm(from);
    await using supervisor = supervise({
      children: [child('a', { snapshot: () => snapshot, restore: (from) => restore(from) })],
    });
    await supervisor.start();
    const fromSnapshot = restarts(supervisor, 1);
    await vms.crash(vmOf(supervisor, 'a'));
    expect(defined((await fromSnapshot)[0])).toMatchObject({ from: 'snapshot' });
    expect(vmOf(supervisor, 'a').state).toBe('running');
    // A restore that fails, as one whose snapshot is judged unusable would.
    restore = () => Promise.reject(new Error('snapshot judged stale'));
    const cold = restarts(supervisor, 1);
    await vms.crash(vmOf(supervisor, 'a'));
    expect(defined((await cold)[0])).toMatchObject({
      from: 'cold',
      snapshotError: { message: 'snapshot judged stale' },
    });
  });

  it('gives up past the restart intensity: every child shut down, done says why', async () => {
    const supervisor = new Supervisor({
      maxRestarts: 1,
      withinMs: 60_000,
      children: [child('a'), child('b')],
    });
    await supervisor.start();
    const restarted = restarts(supervisor, 1);
    await vms.crash(vmOf(supervisor, 'a'));
    await restarted;
    const b = vmOf(supervisor, 'b');
    const gaveUp = nextEvent<GiveUpDetail>(supervisor, 'give-up');
    await vms.crash(vmOf(supervisor, 'a'));
    const { detail } = await gaveUp;
    expect(detail.error).toMatchObject({
      name: 'SupervisorError',
      code: 'ERR_RESTART_INTENSITY',
      message: expect.stringContaining(
        'child "a" would be restarted more than 1 time(s) within 60000 ms',
      ),
    });
    expect(await supervisor.done).toEqual({ reason: 'give-up', error: detail.error });
    expect(supervisor.state).toBe('stopped');
    expect(supervisor.children.size).toBe(0);
    expect(b.state).toBe('exited');
    // Stopping a supervisor that gave up is harmless.
    await supervisor.stop();
  });

  it('transient: not restarted after a clean exit, restarted after a crash; temporary: never', async () => {
    await using supervisor = supervise({
      children: [child('t', { restart: 'transient' }), child('o', { restart: 'temporary' })],
    });
    await supervisor.start();
    const seen: string[] = [];
    supervisor.addEventListener('restart', (event) => seen.push(event.detail.id));
    const restarted = restarts(supervisor, 1);
    await vms.crash(vmOf(supervisor, 't'));
    expect(defined((await restarted)[0]).id).toBe('t');
    const exited = nextEvent(supervisor, 'exit');
    const t = vmOf(supervisor, 't');
    await t.shutdown();
    await exited;
    // Handled after the event: the ended VM is cleaned up and leaves `children`.
    await waitUntil(() => !supervisor.children.has('t'));
    await expect(t.getInfo()).rejects.toMatchObject({ code: 'ERR_WRONG_STATE' });
    const crashed = nextEvent(supervisor, 'crash');
    await vms.crash(vmOf(supervisor, 'o'));
    await crashed;
    await waitUntil(() => !supervisor.children.has('o'));
    expect(supervisor.children.size).toBe(0);
    expect(seen).toEqual(['t']);
    expect(supervisor.state).toBe('running');
  });

  it('fails start() naming the child whose start failed, and shuts the started ones down', async () => {
    let first: Vm | undefined;
    const supervisor = supervise({
      children: [
        child('a', {
          start: async (context) => {
            first = await vms.startVm(context);
            return first;
          },
        }),
        child('b', { start: () => Promise.reject(new Error('no kernel here')) }),
      ],
    });
    const error = await catchError(supervisor.start());
    expect(error).toMatchObject({
      code: 'ERR_CHILD_START_FAILED',
      message:
        'child "b" did not start: no kernel here; the children started before it were shut down',
      cause: { message: 'no kernel here' },
    });
    expect(defined(first).state).toBe('exited');
    expect(await supervisor.done).toEqual({ reason: 'start-failed', error });
  });

  it('stop() during start() aborts the start in progress and shuts the started ones down', async () => {
    let first: Vm | undefined;
    const supervisor = supervise({
      children: [
        child('a', {
          start: async (context) => {
            first = await vms.startVm(context);
            return first;
          },
        }),
        // Starts only when aborted: then it fails with the signal's reason, as a start should.
        child('b', {
          start: ({ signal }) =>
            new Promise<Vm>((_resolve, reject) => {
              signal.addEventListener('abort', () => reject(signal.reason as Error));
            }),
        }),
      ],
    });
    const starting = catchError(supervisor.start());
    await waitUntil(() => first !== undefined);
    await supervisor.stop();
    expect(await starting).toMatchObject({ message: 'the supervisor was stopped' });
    expect(defined(first).state).toBe('exited');
    expect(await supervisor.done).toEqual({ reason: 'stopped' });
    expect(supervisor.state).toBe('stopped');
  });

  it('bounds a start by startTimeoutMs, and disposes of a VM that comes too late', async () => {
    let late: Vm | undefined;
    const supervisor = supervise({
      startTimeoutMs: 50,
      children: [
        child('slow', {
          // Ignores its signal on purpose, as a careless start would.
          start: async () => {
            await delay(200);
            late = await vms.startVm();
            return late;
          },
        }),
      ],
    });
    expect(await catchError(supervisor.start())).toMatchObject({
      code: 'ERR_CHILD_START_FAILED',
      message: expect.stringContaining('child "slow" did not start: timed out after 50 ms'),
    });
    // Started after its time was up, then shut down and cleaned up by the supervisor.
    await waitUntil(() => late?.state === 'exited');
    await expect(defined(late).getInfo()).rejects.toMatchObject({ code: 'ERR_WRONG_STATE' });
  });

  it('moves the links of a restarted child to its new VM', async () => {
    await using supervisor = supervise({ children: [child('a'), child('b')] });
    await supervisor.start();
    using linked = link(vmOf(supervisor, 'a'), vmOf(supervisor, 'b'));
    // a crashes; the link shuts b down; both are restarted (b is permanent).
    const restarted = restarts(supervisor, 2);
    await vms.crash(vmOf(supervisor, 'a'));
    expect((await restarted).map((detail) => detail.id).toSorted()).toEqual(['a', 'b']);
    expect(linked.vms).toStrictEqual([vmOf(supervisor, 'a'), vmOf(supervisor, 'b')]);
  });

  it('restarts a jailed child, a detached Firecracker whose end is polled', async () => {
    await using supervisor = supervise({
      children: [child('j', { start: (context) => vms.startVm(context, jailed) })],
    });
    await supervisor.start();
    const before = vmOf(supervisor, 'j');
    const restarted = restarts(supervisor, 1);
    await vms.crash(before);
    // A detached process's exit status cannot be seen: a crash all the same.
    expect(before.exit).toEqual({ kind: 'unknown' });
    expect(defined((await restarted)[0]).previous).toBe(before);
    expect(vmOf(supervisor, 'j').state).toBe('running');
  });

  it('refuses bad options, naming each field', () => {
    const { start } = child('a');
    expect(
      () =>
        new Supervisor({
          strategy: 'one-for-some' as 'one-for-one',
          maxRestarts: -1,
          children: [
            { id: 'a', start },
            { id: 'a', start, restore: (from: VmSnapshot) => vms.restoreVm(from) },
          ],
        }),
    ).toThrow(
      expect.objectContaining({
        code: 'ERR_INVALID_INPUT',
        message: expect.stringMatching(
          /^options\.strategy: .*\noptions\.maxRestarts: .*got -1\noptions\.children\[1\]\.snapshot: snapshot and restore go together: give both, or neither, got nothing/u,
        ),
      }),
    );
  });
});
