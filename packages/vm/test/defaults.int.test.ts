// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { existsSync } from 'node:fs';
import path from 'node:path';
import { defaultApiSocketFolder } from '@kindling/executor';
import { TEST_WAIT_MS } from '@kindling/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Vm } from '../src/index.js';
import { basicConfiguration, createVmHarness, type VmHarness } from './support/vm-harness.js';

// Twenty, as a first user tried: with shared defaults the second VM already failed.
const COUNT = 20;

let harness: VmHarness;
beforeAll(async () => {
  harness = await createVmHarness();
});
afterAll(async () => {
  await harness.dispose();
});

describe('VMs with every default', () => {
  it(`run ${COUNT} at once: each gets its own id and API socket`, async () => {
    const { drives: _drives, ...configuration } = basicConfiguration(harness);
    const vms = await Promise.all(
      Array.from({ length: COUNT }, async () =>
        harness.track(
          await Vm.prepare({
            installation: harness.installation,
            configuration,
            stateDir: false,
            // Twenty fake VMMs are twenty Node processes starting at once on a small machine.
            socketWaitTimeoutMs: TEST_WAIT_MS,
          }),
        ),
      ),
    );
    await Promise.all(vms.map((vm) => vm.start()));
    const ids = await Promise.all(vms.map(async (vm) => (await vm.getInfo()).id));
    expect(new Set(ids).size).toBe(COUNT);
    const sockets = vms.map((vm) => vm.socketPath);
    expect(new Set(sockets).size).toBe(COUNT);
    for (const [index, socket] of sockets.entries()) {
      expect(socket).toBe(path.join(defaultApiSocketFolder(), `${ids[index]}.sock`));
    }
    const outcomes = await Promise.all(vms.map((vm) => vm.shutdown([{ method: 'kill' }])));
    expect(outcomes.every((outcome) => outcome.method === 'kill')).toBe(true);
    await Promise.all(vms.map((vm) => vm.cleanup()));
    expect(sockets.filter((socket) => existsSync(String(socket)))).toEqual([]);
  });
});
