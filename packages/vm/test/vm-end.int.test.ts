// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { readFile } from 'node:fs/promises';
import type { ProcessHandleExit } from '@kindling/executor';
import { testBackend, type FakeSwitches } from '@kindling/fake-vmm';
import { TEST_WAIT_MS } from '@kindling/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Vm, type ApiVmConfiguration, type VmEndEvent } from '../src/index.js';
import {
  SETUPS,
  basicConfiguration,
  createVmHarness,
  defined,
  isRealBackend,
  NEEDS_FAULT,
  type ExecutorSetup,
  type VmHarness,
} from './support/vm-harness.js';

/** Every `exit` and `crash` event the VM fires, in order, as they fire. */
const recordEnds = (vm: Vm): { type: string; detail: unknown }[] => {
  const seen: { type: string; detail: unknown }[] = [];
  const record = (event: Event): void => {
    seen.push({ type: event.type, detail: (event as VmEndEvent).detail });
  };
  vm.addEventListener('exit', record);
  vm.addEventListener('crash', record);
  return seen;
};

// A real Firecracker has no fault switches: the rows that need one are skipped there.
const faulty = (switches: FakeSwitches): Promise<VmHarness> =>
  createVmHarness(isRealBackend ? {} : switches);

describe.each(SETUPS)('the end of a started process, $name', (setup: ExecutorSetup) => {
  let harness: VmHarness;
  let broken: VmHarness;
  let slow: VmHarness;
  // Firecracker rejecting its config file: the API connection breaks and the process aborts,
  // as the real binary's API thread panics when the VMM fails to build from the file.
  let aborting: VmHarness;
  beforeAll(async () => {
    [harness, broken, slow, aborting] = await Promise.all([
      createVmHarness(),
      faulty({ exitRules: [{ point: 'startup', outcome: { exitCode: 1 } }] }),
      faulty({ socketDelayMs: 10_000 }),
      faulty({
        responseFaults: [{ method: 'GET', path: '/', action: { kind: 'drop' } }],
        exitRules: [{ point: 'after-requests', afterRequests: 1, outcome: { signal: 'SIGABRT' } }],
      }),
    ]);
  });
  afterAll(async () => {
    await Promise.all([harness, broken, slow, aborting].map((each) => each.dispose()));
  });

  it.concurrent('fires exit before vm.shutdown() resolves', async () => {
    const vm = await harness.prepare(setup, basicConfiguration(harness));
    const ends = recordEnds(vm);
    await vm.start();
    await vm.shutdown([{ method: 'kill' }]);
    expect(ends).toEqual([{ type: 'exit', detail: setup.killedExit }]);
    await vm.cleanup();
  });

  it.concurrent('fires crash before vm.waitForExit() resolves', async () => {
    const vm = await harness.prepare(setup, basicConfiguration(harness));
    const ends = recordEnds(vm);
    await vm.start();
    process.kill(defined(vm.pid, 'a pid'), 'SIGKILL');
    await vm.waitForExit();
    expect(ends).toEqual([{ type: 'crash', detail: setup.killedExit }]);
    await vm.cleanup();
  });

  it.skipIf(isRealBackend).concurrent(
    `fires crash once when Firecracker dies before its socket accepts ${NEEDS_FAULT}`,
    async () => {
      const vm = await broken.prepare(setup, basicConfiguration(broken));
      const ends = recordEnds(vm);
      await expect(vm.start()).rejects.toMatchObject({
        code: 'ERR_START_FAILED',
        cause: { code: 'ERR_SOCKET_WAIT_EXITED' },
      });
      expect(vm.state).toBe('crashed');
      expect(ends).toEqual([{ type: 'crash', detail: vm.exit }]);
      await vm.cleanup();
      expect(ends).toHaveLength(1);
    },
  );

  it.skipIf(isRealBackend).concurrent(
    `fires exit once when a start that timed out is killed ${NEEDS_FAULT}`,
    async () => {
      const vm = await slow.prepare(setup, basicConfiguration(slow));
      const ends = recordEnds(vm);
      await expect(vm.start({ socketWaitTimeoutMs: 200 })).rejects.toMatchObject({
        code: 'ERR_START_FAILED',
        cause: { code: 'ERR_SOCKET_WAIT_TIMEOUT' },
      });
      expect(vm.state).toBe('exited');
      expect(ends).toEqual([{ type: 'exit', detail: setup.killedExit }]);
      await vm.cleanup();
    },
  );

  it.skipIf(isRealBackend).concurrent(
    `reports a config-file start that Firecracker aborts as its own end, with its words, and no kill ${NEEDS_FAULT}`,
    async () => {
      const folder = aborting.pathFor(`${setup.tag}-aborts`);
      const vm = await aborting.prepare(setup, {
        ...basicConfiguration(aborting),
        kind: 'new-via-config-file',
        configFilePath: `${folder}/vm.json`,
        logger: { log_path: `${folder}/fc.log`, level: 'Info' },
      });
      const ends = recordEnds(vm);
      const error = await vm.start().catch((caught: unknown) => caught);
      expect(error).toMatchObject({ code: 'ERR_START_FAILED', cause: { code: 'ERR_API_REQUEST' } });
      const { message } = error as Error;
      expect(message).toContain(`; ${setup.abortedWords}`);
      expect(message).not.toMatch(/killed|SIGKILL/u);
      // Firecracker's own words: its log file, whatever its stdio is.
      expect(message).toMatch(/; what Firecracker wrote:\n(?:.*\n)*\[log\]\n.+/u);
      expect(vm.state).toBe('crashed');
      const abortExit = setup.abortedExit;
      expect(vm.exit).toEqual(abortExit);
      expect(ends).toEqual([{ type: 'crash', detail: abortExit }]);
      await vm.cleanup();
    },
  );
});

describe.each(SETUPS)(
  'a config file Firecracker cannot build from or boot, $name',
  (setup: ExecutorSetup) => {
    let harness: VmHarness;
    beforeAll(async () => {
      harness = await createVmHarness();
    });
    afterAll(async () => {
      await harness.dispose();
    });

    it('fails with Firecracker’s own words after it ends by itself, and fires one crash', async () => {
      // --metrics-path already set up the metrics system, so the file's metrics section fails.
      const folder = harness.pathFor(`${setup.tag}-reinit`);
      const { executor, ownership } = setup.create(harness, harness.nextId(), {
        metricsPath: setup.seenPath(`${folder}-flag.metrics`),
      });
      const vm = harness.track(
        await Vm.prepare({
          executor,
          ownership,
          installation: harness.installation,
          configuration: {
            ...basicConfiguration(harness),
            kind: 'new-via-config-file',
            configFilePath: `${folder}/vm.json`,
            metrics: { metrics_path: `${folder}/fc.metrics` },
            logger: { log_path: `${folder}/fc.log`, level: 'Info' },
          },
          stateDir: false,
          socketWaitTimeoutMs: TEST_WAIT_MS,
        }),
      );
      const ends = recordEnds(vm);
      const error = await vm.start().catch((caught: unknown) => caught);
      expect(error).toMatchObject({ code: 'ERR_START_FAILED' });
      const { message } = error as Error;
      // A real Firecracker fails this one while parsing, before its socket accepts; either way the
      // start fails on Firecracker's end, with its words.
      expect(message).toMatch(
        /^vm\.start\(\): Firecracker (?:ended while building the VM from its config file; |did not come up: The process .* before its API socket )/u,
      );
      expect(message).toContain('Reinitialization of metrics not allowed');
      expect(message).not.toMatch(/was killed|SIGKILL/u);
      expect(vm.state).toBe('crashed');
      expect(ends).toEqual([{ type: 'crash', detail: vm.exit }]);
      await vm.cleanup();
    });

    // Firecracker refuses a kernel that is not an ELF image, and a config-file start then ends the
    // process: Kindling's first API call must not race it.
    it('fails with Firecracker’s own words and its real end, claims no kill, and fires one event', async () => {
      const folder = harness.pathFor(`${setup.tag}-not-elf`);
      const vm = await harness.prepare(setup, {
        ...basicConfiguration(harness),
        bootSource: {
          kernel_image_path: await harness.writeUserFile(
            `${setup.tag}-not-elf/vmlinux`,
            'not an ELF',
          ),
        },
        kind: 'new-via-config-file',
        configFilePath: `${folder}/vm.json`,
        logger: { log_path: `${folder}/fc.log`, level: 'Info' },
      });
      const ends = recordEnds(vm);
      const error = await vm.start().catch((caught: unknown) => caught);
      expect(error).toMatchObject({ code: 'ERR_START_FAILED' });
      const { message } = error as Error;
      // Kindling waits for the build before its first request: Firecracker ends by itself with
      // its own error (it may even end before its socket accepts), never a panic of its API thread.
      expect(message).toMatch(
        /^vm\.start\(\): Firecracker (?:ended while building the VM from its config file; |did not come up: The process .* before its API socket )/u,
      );
      expect(message).toContain('Unable to read elf header');
      expect(message).not.toContain('panicked');
      expect(message).not.toMatch(/was killed|SIGKILL/u);
      expect(vm.state).toBe('crashed');
      expect(ends).toEqual([{ type: 'crash', detail: vm.exit }]);
      await vm.cleanup();
    });
  },
);

// On this project's KVM host a real guest dies by itself some 15 to 95 s after InstanceStart
// (KVM_EXIT_INTERNAL_ERROR) and Firecracker exits 1, up to 290 s seen on a busy machine; the
// fake's guest does the same on its switch.
const GUEST_DEATH_WAIT_MS = 600_000;

const dyingGuest = (harness: VmHarness, folder: string): ApiVmConfiguration => ({
  ...basicConfiguration(harness),
  bootSource: {
    kernel_image_path: harness.kernelPath,
    boot_args: 'console=ttyS0 reboot=k panic=1',
    // The test guest's initrd: without it a real kernel panics and reboots, a clean exit.
    ...(testBackend.kind === 'real' && testBackend.initrdPath !== undefined
      ? { initrd_path: testBackend.initrdPath }
      : {}),
  },
  logger: { log_path: `${folder}/fc.log`, level: 'Info' },
});

// Firecracker's exit 1, as far as it can be seen: a detached (jailed) process's status cannot.
const exitOfCode1 = (setup: ExecutorSetup): ProcessHandleExit =>
  setup.jailed ? { kind: 'unknown' } : { kind: 'exited', code: 1 };

describe.each(SETUPS)('a guest that dies by itself, $name', (setup: ExecutorSetup) => {
  let harness: VmHarness;
  beforeAll(async () => {
    harness = await faulty({ guestCrashMs: 500 });
  });
  afterAll(async () => {
    await harness.dispose();
  });

  it(
    "is crashed, fires one crash, and leaves Firecracker's words in its log (KVM_EXIT_INTERNAL_ERROR, exit 1)",
    { timeout: GUEST_DEATH_WAIT_MS + TEST_WAIT_MS },
    async () => {
      const folder = harness.pathFor(`${setup.tag}-dies`);
      const vm = await harness.prepare(setup, dyingGuest(harness, folder));
      const ends = recordEnds(vm);
      await vm.start();
      const exit = await vm.waitForExit({ timeoutMs: GUEST_DEATH_WAIT_MS });
      expect(exit).toEqual(exitOfCode1(setup));
      expect(vm.state).toBe('crashed');
      expect(ends).toEqual([{ type: 'crash', detail: exit }]);
      await expect(vm.pause()).rejects.toMatchObject({
        code: 'ERR_WRONG_STATE',
        message: expect.stringContaining('"crashed"'),
      });
      const log = await readFile(vm.resolveEffectivePath(`${folder}/fc.log`), 'utf8');
      expect(log).toContain('Received KVM_EXIT_INTERNAL_ERROR signal');
      expect(log).toContain('RunWithApiError error: MicroVM stopped with an error: GenericError');
      await vm.cleanup();
      expect(ends).toHaveLength(1);
    },
  );
});
