// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { describe, expect, it } from 'vitest';
import { VmError } from './errors.js';
import {
  assertVmState,
  meetsRequirement,
  type VmStateRequirement,
  type VmStateView,
} from './vm-state.js';

const view = (overrides: Partial<VmStateView>): VmStateView => ({
  state: 'not-started',
  processUp: false,
  restoring: false,
  cleanedUp: false,
  ...overrides,
});

const views: Record<string, VmStateView> = {
  prepared: view({}),
  preBoot: view({ processUp: true }),
  preLoad: view({ processUp: true, restoring: true }),
  running: view({ state: 'running', processUp: true }),
  paused: view({ state: 'paused', processUp: true }),
  exited: view({ state: 'exited' }),
  crashed: view({ state: 'crashed' }),
};

describe('meetsRequirement', () => {
  it.each<[VmStateRequirement, string[]]>([
    ['process-up', ['preBoot', 'preLoad', 'running', 'paused']],
    ['pre-boot', ['preBoot', 'preLoad']],
    ['boot-configuration', ['preBoot']],
    ['booted', ['running', 'paused']],
    ['running', ['running']],
    ['paused', ['paused']],
  ])('%s holds exactly in %j', (requirement, holding) => {
    const met = Object.entries(views)
      .filter(([, candidate]) => meetsRequirement(candidate, requirement))
      .map(([name]) => name);
    expect(met).toEqual(holding);
  });
});

describe('assertVmState', () => {
  it('passes when any requirement holds', () => {
    expect(() =>
      assertVmState(views['paused']!, ['boot-configuration', 'booted'], 'vm.putDrive()'),
    ).not.toThrow();
  });

  it('names the call, the state it needs and the state the VM is in', () => {
    expect(() => assertVmState(views['paused']!, ['running'], 'vm.pause()')).toThrow(
      new VmError('ERR_WRONG_STATE', 'vm.pause() needs the VM to be "running", but it is "paused"'),
    );
    expect(() => assertVmState(views['prepared']!, ['booted'], 'vm.patchBalloon()')).toThrow(
      'vm.patchBalloon() needs the VM to be "running" or "paused", but it is "not-started" and its Firecracker process is not up: call vm.start() first',
    );
    expect(() => assertVmState(views['preLoad']!, ['boot-configuration'], 'vm.putVsock()')).toThrow(
      /needs the VM to be "not-started" with its Firecracker process up .* and not restoring a snapshot .*, but it is "not-started" and restoring a snapshot$/u,
    );
  });

  it('refuses every call once the VM was cleaned up', () => {
    let caught: unknown;
    try {
      assertVmState({ ...views['exited']!, cleanedUp: true }, ['process-up'], 'vm.getInfo()');
    } catch (error) {
      caught = error;
    }
    expect(caught).toMatchObject({
      code: 'ERR_WRONG_STATE',
      message: 'vm.getInfo(): this VM was cleaned up and cannot be used again: prepare a new Vm',
    });
  });
});
