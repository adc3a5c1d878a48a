// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { setTimeout as delay } from 'node:timers/promises';
import { catchError } from '@kindling/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { link, replaceInLinks, type LinkPropagation } from '../src/index.js';
import { createSupervisedVms, nextEvent, type SupervisedVms } from './support/supervised-vms.js';

describe('link()', () => {
  let vms: SupervisedVms;
  beforeAll(async () => {
    vms = await createSupervisedVms('supervisor-link');
  });
  afterAll(async () => {
    await vms[Symbol.asyncDispose]();
  });

  it.each([
    ['a', 0, 1],
    ['b', 1, 0],
  ] as const)(
    'shuts the other side down when side %s crashes, and says so in a propagate event',
    async (_side, crashingIndex, otherIndex) => {
      const pair = [await vms.startVm(), await vms.startVm()] as const;
      const [a, b] = pair;
      using linked = link(a, b);
      const [crashing, other] = [pair[crashingIndex], pair[otherIndex]];
      const propagated = nextEvent<LinkPropagation>(linked, 'propagate');
      await vms.crash(crashing);
      const { detail } = await propagated;
      // Identity: two VMs of one configuration look alike to a deep comparison.
      expect([detail.from, detail.end, detail.to]).toStrictEqual([crashing, 'crash', other]);
      expect(detail.outcome).toMatchObject({ alreadyDown: false, method: 'kill' });
      // Shut down as asked: exited, not crashed; and not cleaned up (its owner does that).
      expect(other.state).toBe('exited');
      expect(linked.linked).toBe(true);
    },
  );

  it('takes a whole chain down: a crash of a reaches c through b, as a crash', async () => {
    const [a, b, c] = [await vms.startVm(), await vms.startVm(), await vms.startVm()];
    using first = link(a, b);
    using second = link(b, c);
    const reachedC = nextEvent<LinkPropagation>(second, 'propagate');
    await vms.crash(a);
    const { detail } = await reachedC;
    expect([detail.from, detail.end, detail.to]).toStrictEqual([b, 'crash', c]);
    expect([a.state, b.state, c.state]).toStrictEqual(['crashed', 'exited', 'exited']);
    expect([first.linked, second.linked]).toStrictEqual([true, true]);
  });

  it("keeps the other side running on a clean exit with on: 'crash', and the link holds", async () => {
    const a = await vms.startVm();
    const b = await vms.startVm();
    using linked = link(a, b);
    await a.shutdown();
    expect(a.state).toBe('exited');
    expect(b.state).toBe('running');
    expect(linked.linked).toBe(true);
  });

  it("shuts the other side down on any end with on: 'end', with the given actions", async () => {
    const a = await vms.startVm();
    const b = await vms.startVm();
    using linked = link(a, b, { on: 'end', shutdownActions: [{ method: 'pause-then-kill' }] });
    const propagations: LinkPropagation[] = [];
    linked.addEventListener('propagate', (event) => {
      propagations.push((event as CustomEvent<LinkPropagation>).detail);
    });
    const propagated = nextEvent<LinkPropagation>(linked, 'propagate');
    await a.shutdown();
    const { detail } = await propagated;
    expect([detail.from, detail.end, detail.to]).toStrictEqual([a, 'exit', b]);
    expect(detail.outcome).toMatchObject({ method: 'pause-then-kill' });
    expect(b.state).toBe('exited');
    // b's end was the link's doing: it did not echo back to a.
    await delay(100);
    expect(propagations).toHaveLength(1);
  });

  it('does nothing once unlinked', async () => {
    const a = await vms.startVm();
    const b = await vms.startVm();
    const linked = link(a, b);
    linked.unlink();
    linked.unlink();
    expect(linked.linked).toBe(false);
    await vms.crash(a);
    // b's own API answers: it still runs.
    expect((await b.getInfo()).state).toBe('Running');
    expect(b.state).toBe('running');
  });

  it('takes the other side down at once when one side had already crashed', async () => {
    const a = await vms.startVm();
    const b = await vms.startVm();
    await vms.crash(a);
    using linked = link(a, b);
    const { detail } = await nextEvent<LinkPropagation>(linked, 'propagate');
    expect([detail.from, detail.end, detail.to]).toStrictEqual([a, 'crash', b]);
    expect(b.state).toBe('exited');
  });

  it('survives a restore: snapshot, shut down, restore, replaceInLinks, then a crash propagates', async () => {
    const a = await vms.startVm();
    const b = await vms.startVm();
    using linked = link(a, b);
    await a.pause();
    const snapshot = await a.createSnapshot({
      snapshotPath: vms.harness.pathFor('linked/vm.state'),
      memPath: vms.harness.pathFor('linked/vm.mem'),
    });
    await a.shutdown();
    expect(b.state).toBe('running');
    const restored = await vms.restoreVm(snapshot);
    expect(replaceInLinks(a, restored)).toBe(1);
    expect(linked.vms).toEqual([restored, b]);
    const propagated = nextEvent<LinkPropagation>(linked, 'propagate');
    await vms.crash(restored);
    const { detail } = await propagated;
    expect([detail.from, detail.to]).toStrictEqual([restored, b]);
    expect(b.state).toBe('exited');
    // The old VM no longer counts: nothing is linked to it.
    expect(replaceInLinks(a, restored)).toBe(0);
  });

  it('refuses a VM linked to itself, and bad options, naming the field', async () => {
    const a = await vms.startVm();
    expect(await catchError(() => link(a, a))).toMatchObject({
      name: 'SupervisorError',
      code: 'ERR_INVALID_INPUT',
      message: 'b: a VM cannot be linked to itself, got the same Vm as a: link two different VMs',
    });
    const b = await vms.startVm();
    expect(
      await catchError(() => link(a, b, { on: 'exit' as 'end', shutdownActions: [] })),
    ).toMatchObject({
      code: 'ERR_INVALID_INPUT',
      message: expect.stringMatching(
        /^options\.on: .*got "exit"\noptions\.shutdownActions: .*got \[\]$/u,
      ),
    });
    expect(await catchError(() => link(a, {} as typeof b))).toMatchObject({
      code: 'ERR_INVALID_INPUT',
      message: 'b: expected a Vm, got {}',
    });
    // Nothing was linked: a crash of a leaves b running.
    await vms.crash(a);
    expect(b.state).toBe('running');
  });
});
