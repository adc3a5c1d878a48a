// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { VmError } from './errors.js';

/**
 * Where a microVM is in its life. `not-started` lasts until it boots (or loads its snapshot),
 * `running` and `paused` follow Firecracker's own states, and the process's end makes it `exited`
 * (it ended cleanly, or because Kindling ended it on request) or `crashed` (it ended on its own
 * with a failure, or in a way that could not be observed).
 */
export type VmState = 'not-started' | 'running' | 'paused' | 'exited' | 'crashed';

/**
 * What a call needs:
 * - `process-up`: the Firecracker process is up, whether the VM booted or not;
 * - `pre-boot`: the process is up and the VM has not booted (`vm.start({ boot: false })`);
 * - `boot-configuration`: `pre-boot`, and the VM is not restoring a snapshot, because
 *   Firecracker refuses `/snapshot/load` once a boot resource (machine, drives, network, pmem,
 *   vsock, entropy, balloon, MMDS config, memory hotplug, boot source) was configured;
 * - `booted`: `running` or `paused`; `running`; `paused`.
 */
export type VmStateRequirement =
  'process-up' | 'pre-boot' | 'boot-configuration' | 'booted' | 'running' | 'paused';

/** What a state check looks at. */
export interface VmStateView {
  readonly state: VmState;
  /** Whether the Firecracker process is up (started and not yet ended). */
  readonly processUp: boolean;
  /** Whether this VM boots by loading a snapshot. */
  readonly restoring: boolean;
  /** Whether `cleanup()` or disposal already ran. */
  readonly cleanedUp: boolean;
}

const DESCRIPTIONS: Readonly<Record<VmStateRequirement, string>> = {
  'process-up':
    'with its Firecracker process up ("not-started" after vm.start({ boot: false }), "running" or "paused")',
  'pre-boot': '"not-started" with its Firecracker process up (after vm.start({ boot: false }))',
  'boot-configuration':
    '"not-started" with its Firecracker process up (after vm.start({ boot: false })) and not restoring a snapshot (Firecracker refuses /snapshot/load once a boot resource is configured)',
  booted: '"running" or "paused"',
  running: '"running"',
  paused: '"paused"',
};

/** Whether the VM in `view` meets one requirement. */
export const meetsRequirement = (view: VmStateView, requirement: VmStateRequirement): boolean => {
  if (!view.processUp) {
    return false;
  }
  if (requirement === 'process-up') {
    return true;
  }
  if (requirement === 'pre-boot' || requirement === 'boot-configuration') {
    return view.state === 'not-started' && (requirement === 'pre-boot' || !view.restoring);
  }
  return requirement === 'booted'
    ? view.state === 'running' || view.state === 'paused'
    : view.state === requirement;
};

const describeView = (view: VmStateView): string => {
  if (view.state !== 'not-started') {
    return `"${view.state}"`;
  }
  if (!view.processUp) {
    return '"not-started" and its Firecracker process is not up: call vm.start() first';
  }
  return view.restoring ? '"not-started" and restoring a snapshot' : '"not-started"';
};

/**
 * Throws `ERR_WRONG_STATE` unless the VM meets one of `requirements`; the message names the call,
 * the state it needs and the state the VM is in. A VM that was cleaned up meets none.
 */
export const assertVmState = (
  view: VmStateView,
  requirements: readonly VmStateRequirement[],
  call: string,
): void => {
  if (view.cleanedUp) {
    throw new VmError(
      'ERR_WRONG_STATE',
      `${call}: this VM was cleaned up and cannot be used again: prepare a new Vm`,
    );
  }
  if (requirements.some((requirement) => meetsRequirement(view, requirement))) {
    return;
  }
  const needed = requirements.map((requirement) => DESCRIPTIONS[requirement]).join(', or ');
  throw new VmError(
    'ERR_WRONG_STATE',
    `${call} needs the VM to be ${needed}, but it is ${describeView(view)}`,
  );
};
