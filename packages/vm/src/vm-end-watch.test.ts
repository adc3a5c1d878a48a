// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { describe, expect, it } from 'vitest';
import { describeVmEnd, VmEndWatch, type WatchableVm } from './vm-end-watch.js';
import type { VmEndEvent } from './vm-api.js';
import type { VmState } from './vm-state.js';

// A VM's event surface as an EventTarget (what `Vm` extends), with its state and a `getInfo` that
// answers, or fails as a dead Firecracker's API does.
class EndingVm extends EventTarget {
  state: VmState = 'running';
  listeners = 0;
  getInfoFails = false;

  override addEventListener(...args: Parameters<EventTarget['addEventListener']>): void {
    this.listeners += 1;
    super.addEventListener(...args);
  }

  override removeEventListener(...args: Parameters<EventTarget['removeEventListener']>): void {
    this.listeners -= 1;
    super.removeEventListener(...args);
  }

  getInfo(): Promise<never> {
    return this.getInfoFails
      ? Promise.reject(
          Object.assign(new Error('connect ECONNREFUSED'), { code: 'ERR_API_REQUEST' }),
        )
      : Promise.resolve({} as never);
  }

  end(type: 'exit' | 'crash', detail: VmEndEvent['detail']): void {
    this.state = type === 'exit' ? 'exited' : 'crashed';
    this.dispatchEvent(new CustomEvent(type, { detail }));
  }
}

const watchable = (vm: EndingVm): WatchableVm => vm as unknown as WatchableVm;

describe('VmEndWatch', () => {
  it('reports the end once, with its exit, and then stops listening', () => {
    const vm = new EndingVm();
    const ends: unknown[] = [];
    const watch = new VmEndWatch(watchable(vm), (end) => ends.push(end));
    vm.end('crash', { kind: 'signaled', signal: 'SIGKILL' });
    vm.end('exit', { kind: 'exited', code: 0 });
    expect({ ends, end: watch.end, listeners: vm.listeners }).toEqual({
      ends: [{ exit: { kind: 'signaled', signal: 'SIGKILL' } }],
      end: { exit: { kind: 'signaled', signal: 'SIGKILL' } },
      listeners: 0,
    });
  });

  it('adds one pair of listeners to a VM whatever the number of watches, and removes it with the last', () => {
    const vm = new EndingVm();
    const watches = Array.from({ length: 50 }, () => new VmEndWatch(watchable(vm), () => {}));
    const during = vm.listeners;
    for (const watch of watches) {
      watch.stop();
    }
    expect({ during, after: vm.listeners }).toEqual({ during: 2, after: 0 });
  });

  it('knows a VM that had already ended, without listening', () => {
    const vm = new EndingVm();
    vm.state = 'exited';
    const watch = new VmEndWatch(watchable(vm), () => {});
    expect({ end: watch.end, listeners: vm.listeners }).toEqual({ end: {}, listeners: 0 });
  });

  it('confirms an end by asking Firecracker: an answer means alive, a refused connection gone', async () => {
    const vm = new EndingVm();
    const watch = new VmEndWatch(watchable(vm), () => {});
    const alive = await watch.confirmEnd();
    vm.getInfoFails = true;
    const gone = await watch.confirmEnd();
    expect({ alive, gone }).toEqual({ alive: undefined, gone: {} });
  });
});

describe('describeVmEnd', () => {
  it.each([
    [{ exit: { kind: 'exited', code: 3 } }, 'exited with code 3'],
    [{ exit: { kind: 'signaled', signal: 'SIGKILL' } }, 'was ended by SIGKILL'],
    [{}, 'ended (its Firecracker process no longer answers on its API socket)'],
  ] as const)('words %j as "%s"', (end, words) => {
    expect(describeVmEnd(end as Parameters<typeof describeVmEnd>[0])).toBe(words);
  });
});
