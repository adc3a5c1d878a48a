// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { writeFile } from 'node:fs/promises';
import type { ProcessHandleExit } from '@kindling/executor';
import type { FakeSwitches } from '@kindling/fake-vmm';
import type { VmmArgumentsOptions } from '@kindling/vmm-core';
import { TEST_WAIT_MS } from '@kindling/test-utils';
import {
  planNewVmCalls,
  Vm,
  type ApiVmConfiguration,
  type VmPrepareOptions,
  type VmState,
} from '../../src/index.js';
import type { ExecutorSetup, VmHarness } from './vm-harness.js';

/** What a row is run with: its own harness (with the row's fault switches) and setup. */
export interface FaultRun {
  readonly harness: VmHarness;
  readonly setup: ExecutorSetup;
  /**
   * Prepares a VM of the fault configuration (or `options.configuration`), recorded for
   * reconcile() in `state/`, with extra Firecracker flags.
   */
  prepare(options?: Partial<VmPrepareOptions>, flags?: VmmArgumentsOptions): Promise<Vm>;
  /** Another VM the row needed (a snapshot's source): ended and cleaned up after the row's. */
  keep(vm: Vm): void;
}

/** The error a call throws: its class, `code`, the `code` of its cause, and words it contains. */
export interface FaultError {
  readonly name: 'VmError' | 'ProcessError' | 'ApiError';
  readonly code: string;
  readonly cause?: string;
  /** Text the message must contain: Firecracker's own words, or the bound that ran out. */
  readonly words?: readonly string[];
}

/** What users get when the row's fault happens. */
export interface FaultExpectation {
  /** What the call throws; absent when it succeeds. */
  readonly error?: FaultError;
  /** `vm.state` right after the call. */
  readonly state: VmState;
  /** The end event fired by the time the call settles: the process ended; absent when it runs. */
  readonly event?: 'exit' | 'crash';
  /** `vm.exit` of an unrestricted Firecracker (a jailed one is detached: `unknown`). */
  readonly exit?: ProcessHandleExit;
}

/** One fault: how it is injected, the call that meets it, and what users get. */
export interface FaultRow {
  /** A short unique name, for test titles. */
  readonly id: string;
  /** The fault, as the README's table says it. */
  readonly fault: string;
  /** The `KINDLING_FAKE_*` switches that cause it; `{}` when none is needed. */
  readonly switches: FakeSwitches;
  /** The public call that meets the fault, as the README's table says it. */
  readonly call: string;
  /** The longest the call may take, generous: the wait it relies on plus start-up slack. */
  readonly boundMs: number;
  /** Prepares the VM and brings it to the fault (not timed). */
  readonly arrange: (run: FaultRun) => Promise<Vm>;
  /** The call that meets the fault (timed). */
  readonly meet: (vm: Vm, run: FaultRun) => Promise<unknown>;
  readonly expected: FaultExpectation;
}

/**
 * Slack on top of a row's own wait: `vm.start()` spawns the fake (a Node program) and, jailed, the
 * fake jailer, which takes seconds on a 2-core machine running every package's tests. A bound, not
 * a performance figure.
 */
export const SLACK_MS = 15_000;

/** The short waits the rows configure, so that a wait that runs out does so quickly. */
const SHORT_WAIT_MS = 1_000;

/** The paths a fault configuration needs. */
type ConfigurationPaths = Pick<VmHarness, 'pathFor' | 'kernelPath' | 'rootfsPath'>;

/**
 * The VM of every row: a log, a metrics FIFO, a vsock socket, a root drive, so that each kind of
 * file Kindling makes is there to be left behind.
 */
export const faultConfiguration = (paths: ConfigurationPaths): ApiVmConfiguration => ({
  bootSource: { kernel_image_path: paths.kernelPath, boot_args: 'console=ttyS0 reboot=k panic=1' },
  drives: [
    {
      drive_id: 'rootfs',
      is_root_device: true,
      is_read_only: true,
      path_on_host: paths.rootfsPath,
    },
  ],
  machineConfig: { vcpu_count: 1, mem_size_mib: 128 },
  logger: { log_path: paths.pathFor('vm/logs/fc.log'), level: 'Info' },
  metrics: { metrics_path: paths.pathFor('vm/logs/fc.metrics') },
  vsock: { guest_cid: 3, uds_path: paths.pathFor('vm/s/v.sock') },
  fifos: { metrics: true },
});

/** The configuration calls `vm.start()` makes for the fault configuration, in order. */
export const FAULT_BOOT_PLAN = planNewVmCalls(
  faultConfiguration({
    pathFor: (name) => `/plan/${name}`,
    kernelPath: '/plan/vmlinux',
    rootfsPath: '/plan/rootfs.ext4',
  }),
);

const started = async (run: FaultRun): Promise<Vm> => {
  const vm = await run.prepare();
  await vm.start();
  return vm;
};

const paused = async (run: FaultRun): Promise<Vm> => {
  const vm = await started(run);
  await vm.pause();
  return vm;
};

const start = (vm: Vm): Promise<void> => vm.start();

// Firecracker ends by itself after `vm.start()` reached its socket: the start fails, the process
// was not killed, and the VM is crashed.
const endedDuringStart = (cause: string, exit: ProcessHandleExit): FaultExpectation => ({
  error: { name: 'VmError', code: 'ERR_START_FAILED', cause },
  state: 'crashed',
  event: 'crash',
  exit,
});

// The start gave up on Firecracker, which Kindling then killed: exited, as asked.
const abandonedStart = (cause: string, words: readonly string[] = []): FaultExpectation => ({
  error: { name: 'VmError', code: 'ERR_START_FAILED', cause, words },
  state: 'exited',
  event: 'exit',
  exit: { kind: 'signaled', signal: 'SIGKILL' },
});

const EXITED_1: ProcessHandleExit = { kind: 'exited', code: 1 };
const KILLED: ProcessHandleExit = { kind: 'signaled', signal: 'SIGKILL' };

const START_UP_ROWS: readonly FaultRow[] = [
  {
    id: 'exit-at-start-up',
    fault: 'Firecracker exits (code 1) at start-up, before its API socket is bound',
    switches: { exitRules: [{ point: 'startup', outcome: { exitCode: 1 } }] },
    call: 'vm.start()',
    boundMs: SLACK_MS,
    arrange: (run) => run.prepare(),
    meet: start,
    expected: endedDuringStart('ERR_SOCKET_WAIT_EXITED', EXITED_1),
  },
  {
    id: 'killed-at-start-up',
    fault: 'Firecracker is killed (SIGKILL) at start-up, before its API socket is bound',
    switches: { exitRules: [{ point: 'startup', outcome: { signal: 'SIGKILL' } }] },
    call: 'vm.start()',
    boundMs: SLACK_MS,
    arrange: (run) => run.prepare(),
    meet: start,
    expected: endedDuringStart('ERR_SOCKET_WAIT_EXITED', KILLED),
  },
  {
    id: 'socket-never-appears',
    fault: 'the API socket never appears',
    switches: { socketDelayMs: 10 * TEST_WAIT_MS },
    call: `vm.start({ socketWaitTimeoutMs: ${SHORT_WAIT_MS} })`,
    boundMs: SHORT_WAIT_MS + SLACK_MS,
    arrange: (run) => run.prepare(),
    meet: (vm) => vm.start({ socketWaitTimeoutMs: SHORT_WAIT_MS }),
    expected: abandonedStart('ERR_SOCKET_WAIT_TIMEOUT', [`within ${SHORT_WAIT_MS} ms`]),
  },
];

// One row per configuration call: Firecracker answers call n, then exits, so call n + 1 (or
// InstanceStart after the last) meets a process that is gone.
const AFTER_REQUEST_ROWS: readonly FaultRow[] = FAULT_BOOT_PLAN.map((call, index) => ({
  id: `exit-after-call-${index + 1}`,
  fault: `Firecracker exits (code 1) after configuration call ${index + 1}, ${call.method} ${call.path}`,
  switches: {
    exitRules: [{ point: 'after-requests', afterRequests: index + 1, outcome: { exitCode: 1 } }],
  },
  call: 'vm.start()',
  boundMs: SLACK_MS,
  arrange: (run) => run.prepare(),
  meet: start,
  expected: endedDuringStart('ERR_API_REQUEST', EXITED_1),
}));

const BOOT_ROWS: readonly FaultRow[] = [
  {
    id: 'exit-at-instance-start',
    fault: 'Firecracker exits (code 1) at InstanceStart',
    switches: { exitRules: [{ point: 'before-instance-start', outcome: { exitCode: 1 } }] },
    call: 'vm.start()',
    boundMs: SLACK_MS,
    arrange: (run) => run.prepare(),
    meet: start,
    expected: endedDuringStart('ERR_API_REQUEST', EXITED_1),
  },
  {
    id: 'killed-at-instance-start',
    fault: 'Firecracker is killed (SIGKILL) at InstanceStart',
    switches: { exitRules: [{ point: 'before-instance-start', outcome: { signal: 'SIGKILL' } }] },
    call: 'vm.start()',
    boundMs: SLACK_MS,
    arrange: (run) => run.prepare(),
    meet: start,
    expected: endedDuringStart('ERR_API_REQUEST', KILLED),
  },
];

const snapshotOf = (vm: Vm, run: FaultRun): ReturnType<Vm['createSnapshot']> =>
  vm.createSnapshot({
    snapshotPath: run.harness.pathFor('vm/snap/vm.state'),
    memPath: run.harness.pathFor('vm/snap/vm.mem'),
  });

// A VM restored from the snapshot of a paused one (kept to the end), after `damage` to its files.
const restorable = async (
  run: FaultRun,
  damage: (source: Vm) => Promise<void> = async () => {},
): Promise<Vm> => {
  const source = await paused(run);
  run.keep(source);
  const snapshot = await snapshotOf(source, run);
  await damage(source);
  const { executor, ownership } = run.setup.create(run.harness, run.harness.nextId());
  return Vm.restore(snapshot, {
    executor,
    ownership,
    stateDir: run.harness.pathFor('state'),
    socketWaitTimeoutMs: TEST_WAIT_MS,
    vsockOverride: { uds_path: run.harness.pathFor('restored/s/v.sock') },
    configuration: { logger: { log_path: run.harness.pathFor('restored/logs/fc.log') } },
  });
};

const SNAPSHOT_ROWS: readonly FaultRow[] = [
  {
    id: 'exit-at-snapshot-create',
    fault: 'Firecracker exits (code 1) while creating a snapshot',
    switches: { exitRules: [{ point: 'snapshot-create', outcome: { exitCode: 1 } }] },
    call: 'vm.createSnapshot()',
    boundMs: SLACK_MS,
    arrange: paused,
    meet: snapshotOf,
    expected: {
      error: { name: 'ProcessError', code: 'ERR_API_REQUEST' },
      state: 'crashed',
      event: 'crash',
      exit: EXITED_1,
    },
  },
  {
    id: 'exit-at-snapshot-load',
    fault: 'Firecracker exits (code 1) while loading a snapshot into a restored VM',
    switches: { exitRules: [{ point: 'snapshot-load', outcome: { exitCode: 1 } }] },
    call: 'vm.start()',
    boundMs: SLACK_MS,
    arrange: (run) => restorable(run),
    meet: start,
    expected: endedDuringStart('ERR_API_REQUEST', EXITED_1),
  },
  {
    id: 'snapshot-load-refused',
    fault:
      'Firecracker cannot load a snapshot into a restored VM (a damaged state file): it answers 400 and exits 1',
    switches: {},
    call: 'vm.start()',
    boundMs: SLACK_MS,
    arrange: (run) =>
      restorable(run, async (source) => {
        await writeFile(source.resolveEffectivePath(run.harness.pathFor('vm/snap/vm.state')), 'x');
      }),
    meet: start,
    expected: {
      ...endedDuringStart('ERR_API_RESPONSE', EXITED_1),
      error: {
        name: 'VmError',
        code: 'ERR_START_FAILED',
        cause: 'ERR_API_RESPONSE',
        words: ['Load snapshot error', 'Loading snapshot failed'],
      },
    },
  },
  {
    id: 'killed-while-paused',
    fault: 'Firecracker is killed (SIGKILL) from outside while the VM is paused',
    switches: {},
    call: 'vm.waitForExit()',
    boundMs: SLACK_MS,
    arrange: paused,
    meet: (vm) => {
      process.kill(vm.pid ?? 0, 'SIGKILL');
      return vm.waitForExit();
    },
    expected: { state: 'crashed', event: 'crash', exit: KILLED },
  },
];

const GUEST_ROWS: readonly FaultRow[] = [
  {
    id: 'guest-dies',
    fault: 'the guest dies by itself (KVM_EXIT_INTERNAL_ERROR) and Firecracker exits 1',
    switches: { guestCrashMs: 500 },
    call: 'vm.waitForExit()',
    boundMs: SLACK_MS,
    arrange: started,
    meet: (vm) => vm.waitForExit(),
    expected: { state: 'crashed', event: 'crash', exit: EXITED_1 },
  },
];

const API_ROWS: readonly FaultRow[] = [
  {
    id: 'api-stalls-at-start',
    fault: `the API never answers a configuration call (apiTimeoutMs: ${SHORT_WAIT_MS})`,
    switches: {
      responseFaults: [{ method: 'PUT', path: '/machine-config', action: { kind: 'stall' } }],
    },
    call: 'vm.start()',
    boundMs: SHORT_WAIT_MS + SLACK_MS,
    arrange: (run) => run.prepare({ apiTimeoutMs: SHORT_WAIT_MS }),
    meet: start,
    expected: abandonedStart('ERR_API_TIMEOUT'),
  },
  {
    id: 'api-stalls-when-running',
    fault: 'the API never answers a call to a running VM',
    switches: {
      responseFaults: [{ method: 'GET', path: '/machine-config', action: { kind: 'stall' } }],
    },
    call: `vm.getMachineConfig({ timeoutMs: ${SHORT_WAIT_MS} })`,
    boundMs: SHORT_WAIT_MS + SLACK_MS,
    arrange: started,
    meet: (vm) => vm.getMachineConfig({ timeoutMs: SHORT_WAIT_MS }),
    expected: {
      error: { name: 'ProcessError', code: 'ERR_API_TIMEOUT', words: [`${SHORT_WAIT_MS} ms`] },
      state: 'running',
    },
  },
  {
    id: 'api-answers-slowly',
    fault: 'the API answers each configuration call 500 ms late',
    switches: {
      responseFaults: [{ method: 'PUT', path: '*', action: { kind: 'delay', delayMs: 500 } }],
    },
    call: 'vm.start()',
    boundMs: FAULT_BOOT_PLAN.length * 500 + SLACK_MS,
    arrange: (run) => run.prepare(),
    meet: start,
    expected: { state: 'running' },
  },
  {
    id: 'api-drops-at-start',
    fault: 'the API closes the connection instead of answering a configuration call',
    switches: {
      responseFaults: [{ method: 'PUT', path: '/machine-config', action: { kind: 'drop' } }],
    },
    call: 'vm.start()',
    boundMs: SLACK_MS,
    arrange: (run) => run.prepare(),
    meet: start,
    expected: abandonedStart('ERR_API_REQUEST'),
  },
  {
    id: 'api-drops-when-running',
    fault: 'the API closes the connection instead of answering a call to a running VM',
    switches: {
      responseFaults: [{ method: 'GET', path: '/machine-config', action: { kind: 'drop' } }],
    },
    call: 'vm.getMachineConfig()',
    boundMs: SLACK_MS,
    arrange: started,
    meet: (vm) => vm.getMachineConfig(),
    expected: { error: { name: 'ProcessError', code: 'ERR_API_REQUEST' }, state: 'running' },
  },
];

const ERROR_SHAPE_ROWS: readonly FaultRow[] = [
  {
    id: 'error-400-fault-message',
    fault:
      'Firecracker refuses a call with 400 and its fault_message (a kernel that is not ELF), before boot',
    switches: {},
    call: 'vm.boot()',
    boundMs: SLACK_MS,
    arrange: async (run) => {
      const vm = await run.prepare({
        configuration: {
          ...faultConfiguration(run.harness),
          bootSource: {
            kernel_image_path: await run.harness.writeUserFile('images/not-elf', 'not an ELF'),
          },
        },
      });
      await vm.start({ boot: false });
      return vm;
    },
    meet: (vm) => vm.boot(),
    expected: {
      error: {
        name: 'VmError',
        code: 'ERR_API_RESPONSE',
        cause: 'ERR_API_RESPONSE',
        words: ['Start microvm error', 'elf header'],
      },
      state: 'not-started',
    },
  },
  {
    id: 'error-413',
    fault: 'Firecracker refuses MMDS data over its limit (--mmds-size-limit) with 413, before boot',
    switches: {},
    call: 'vm.putMmds()',
    boundMs: SLACK_MS,
    // Before boot: a booted VM's MMDS store exists only once an interface is attached to it.
    arrange: async (run) => {
      const vm = await run.prepare({}, { mmdsSizeLimit: 64 });
      await vm.start({ boot: false });
      return vm;
    },
    meet: (vm) => vm.putMmds({ key: 'y'.repeat(200) }),
    expected: {
      error: {
        name: 'VmError',
        code: 'ERR_API_RESPONSE',
        cause: 'ERR_API_RESPONSE',
        words: ['413', 'MMDS limit exceeded'],
      },
      state: 'not-started',
    },
  },
  {
    id: 'error-400-payload-limit',
    fault: 'the HTTP layer refuses a body over 51 200 bytes with 400 and its own words',
    switches: {},
    call: 'vm.putMmds()',
    boundMs: SLACK_MS,
    arrange: started,
    meet: (vm) => vm.putMmds({ blob: 'x'.repeat(60_000) }),
    expected: {
      error: {
        name: 'VmError',
        code: 'ERR_API_RESPONSE',
        cause: 'ERR_API_RESPONSE',
        words: ['larger than the limit of 51200 allowed by server'],
      },
      state: 'running',
    },
  },
  {
    id: 'unknown-field',
    fault: "an unknown field, which Firecracker's serde would refuse with 400, before boot",
    switches: {},
    call: 'vm.putMachineConfig()',
    boundMs: SLACK_MS,
    arrange: async (run) => {
      const vm = await run.prepare();
      await vm.start({ boot: false });
      return vm;
    },
    meet: (vm) =>
      vm.putMachineConfig({ vcpu_count: 1, mem_size_mib: 128, x: 1 } as Parameters<
        Vm['putMachineConfig']
      >[0]),
    expected: {
      error: { name: 'VmError', code: 'ERR_INVALID_INPUT', words: ['x'] },
      state: 'not-started',
    },
  },
];

const SHUTDOWN_ROWS: readonly FaultRow[] = [
  {
    id: 'guest-ignores-ctrl-alt-del',
    fault: 'the guest ignores Ctrl-Alt-Del',
    switches: { ctrlAltDel: { kind: 'ignore' } },
    call: `vm.shutdown([{ method: 'ctrl-alt-del', timeoutMs: ${SHORT_WAIT_MS} }, { method: 'kill' }])`,
    boundMs: SHORT_WAIT_MS + SLACK_MS,
    arrange: started,
    meet: (vm) =>
      vm.shutdown([{ method: 'ctrl-alt-del', timeoutMs: SHORT_WAIT_MS }, { method: 'kill' }]),
    expected: { state: 'exited', event: 'exit', exit: KILLED },
  },
];

/** Every fault of the matrix, run unrestricted and jailed by `fault-matrix.int.test.ts`. */
export const FAULT_ROWS: readonly FaultRow[] = [
  ...START_UP_ROWS,
  ...AFTER_REQUEST_ROWS,
  ...BOOT_ROWS,
  ...SNAPSHOT_ROWS,
  ...GUEST_ROWS,
  ...API_ROWS,
  ...ERROR_SHAPE_ROWS,
  ...SHUTDOWN_ROWS,
];
