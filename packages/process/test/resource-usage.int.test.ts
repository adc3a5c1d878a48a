// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeSetup } from './support/fake-setup.js';

let setup: FakeSetup;

beforeEach(async () => {
  setup = await FakeSetup.create();
});

afterEach(async () => {
  await setup[Symbol.asyncDispose]();
});

describe('VmmProcess.readResourceUsage', () => {
  it("reads a jailed VM's cgroup through its executor, in every state", async () => {
    await using vmm = setup.createProcess({ id: 'usage-jailed', jailed: {} });
    const expected = {
      cgroupVersion: setup.cgroups.cgroupVersion,
      dirs: [expect.stringMatching(/\/firecracker\/usage-jailed$/u)],
    };
    expect(await vmm.readResourceUsage()).toMatchObject(expected);
    await vmm.prepare();
    await vmm.invoke();
    expect(await vmm.readResourceUsage({ timeoutMs: 5000 })).toMatchObject(expected);
    vmm.kill();
    await vmm.waitForExit();
    await vmm.cleanup();
    expect(await vmm.readResourceUsage()).toEqual({
      cgroupVersion: setup.cgroups.cgroupVersion,
      dirs: expected.dirs,
    });
  });

  it('answers undefined for an unrestricted VM: its executor makes no cgroup', async () => {
    await using vmm = setup.createProcess({ id: 'usage-free' });
    await vmm.prepare();
    await vmm.invoke();
    expect(await vmm.readResourceUsage()).toBeUndefined();
  });
});
