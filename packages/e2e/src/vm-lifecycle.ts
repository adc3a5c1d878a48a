// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { createVmNetwork, type VmNetwork } from '@kindling/ext-network';
import { isKindlingError } from '@kindling/spawner';
import { Vm } from '@kindling/vm';
import { createLoadExecutor, JAIL_USER } from './load-executors.ts';
import type { LoadRun } from './load-run.ts';
import { useVm, type KillPoint } from './vm-usage.ts';

/** The fake guest's serial line once its services are up. */
const BOOT_MARKER = 'kindling-fake-guest: ready';

/** One VM of a load run: how it runs, on which installation, and what goes wrong. */
export interface VmPlan {
  readonly jailed: boolean;
  /** The run's installation (fault profile) it runs on. */
  readonly profile: string;
  /** A TAP of its own; or a namespace with veth, NAT and egress (unrestricted only). */
  readonly namespace?: boolean;
  readonly killAt?: KillPoint | undefined;
  /** Past this the VM counts as hung: its whole life, and then its teardown, each. */
  readonly boundMs: number;
  /** Bounds of each wait: the socket, each API call, the serial marker, a vsock connection. */
  readonly waitMs: number;
  readonly apiTimeoutMs: number;
  /** How long the guest gets to answer Ctrl+Alt+Del before the kill. */
  readonly ctrlAltDelMs: number;
}

/** The phases of a VM's life whose times are measured. */
export type VmPhase = 'start' | 'use' | 'shutdown';

/**
 * How one VM's life ended: `ok`, a `KindlingError` (`kindling`, with its code), another error
 * (`other`: a bug, or a wrong answer), or `hung` past its bound. A teardown that throws or hangs
 * is reported beside it.
 */
export interface VmOutcome {
  readonly id: string;
  readonly plan: VmPlan;
  readonly result: 'ok' | 'kindling' | 'other' | 'hung';
  readonly error?: string;
  readonly teardown: 'ok' | 'kindling' | 'other' | 'hung';
  readonly teardownError?: string;
  /** The VM's files (its folder's content, API socket, jail) still there after its teardown. */
  readonly leftovers: readonly string[];
  /** Milliseconds each phase took, for the phases it finished. */
  readonly phases: Partial<Record<VmPhase, number>>;
}

interface Held {
  network?: VmNetwork;
  vm?: Vm;
}

const describe = (error: unknown): string =>
  isKindlingError(error) ? `${error.code}: ${error.message}` : String(error);

const classify = (error: unknown): 'kindling' | 'other' =>
  isKindlingError(error) ? 'kindling' : 'other';

const timed = async (
  phases: Partial<Record<VmPhase, number>>,
  phase: VmPhase,
  run: () => Promise<void>,
) => {
  const started = performance.now();
  await run();
  phases[phase] = performance.now() - started;
};

const live = async (
  run: LoadRun,
  plan: VmPlan,
  id: string,
  held: Held,
  phases: Partial<Record<VmPhase, number>>,
  signal: AbortSignal,
): Promise<void> => {
  const vmDir = path.join(run.vmsDir, id);
  const metricsPath = path.join(vmDir, 'metrics.fifo');
  const installation = run.installations.get(plan.profile);
  if (installation === undefined) {
    throw new Error(`no installation for the profile ${plan.profile}`);
  }
  await timed(phases, 'start', async () => {
    await mkdir(vmDir, { mode: 0o755 });
    const network = await createVmNetwork({
      stateDir: run.networkStateDir,
      signal,
      ...(plan.namespace === true ? { namespace: true, egress: true } : { tapName: id }),
      ...(plan.jailed ? { tapOwner: JAIL_USER } : {}),
    });
    held.network = network;
    if (network.netns !== undefined) {
      run.scope.namespaces.add(network.netns);
    }
    if (network.plan.egress !== undefined) {
      run.scope.nftTables.add(network.plan.egress.hostTable);
    }
    const { executor, ownership } = createLoadExecutor({
      ...plan,
      id,
      runDir: run.dir,
      jailBaseDir: run.jailBaseDir,
      installation,
      network,
    });
    const vm = await Vm.prepare({
      executor,
      ownership,
      installation,
      configuration: network.apply({
        bootSource: { kernel_image_path: run.kernelPath, boot_args: 'console=ttyS0 reboot=k' },
        machineConfig: { vcpu_count: 1, mem_size_mib: 128 },
        vsock: { guest_cid: 3, uds_path: path.join(vmDir, 'v.sock') },
        // A file: a daemonized jailer's Firecracker has no stdout of ours.
        serial: { serial_out_path: path.join(vmDir, 'serial') },
        metrics: { metrics_path: metricsPath },
        fifos: { metrics: true },
      }),
      stateDir: run.stateDir,
      socketWaitTimeoutMs: plan.waitMs,
      apiTimeoutMs: plan.apiTimeoutMs,
      shutdownActions: [
        { method: 'ctrl-alt-del', timeoutMs: plan.ctrlAltDelMs },
        { method: 'kill', timeoutMs: plan.waitMs },
      ],
      signal,
    });
    held.vm = vm;
    await vm.start({ signal });
    await vm.waitForSerialLine(BOOT_MARKER, { timeoutMs: plan.waitMs, signal });
  });
  const vm = held.vm as Vm;
  await timed(phases, 'use', () =>
    useVm(vm, { metricsPath, timeoutMs: plan.waitMs, signal, killAt: plan.killAt }),
  );
  await timed(phases, 'shutdown', async () => {
    await vm.shutdown(undefined, { signal });
    await vm.cleanup();
    await held.network?.dispose();
  });
};

/** How a bounded piece of work went. */
type Settled =
  | { readonly kind: 'ok' }
  | { readonly kind: 'failed'; readonly error: unknown }
  | { readonly kind: 'hung' };

const bounded = async (work: Promise<void>, boundMs: number): Promise<Settled> => {
  let timer: NodeJS.Timeout | undefined;
  const bound = new Promise<Settled>((resolve) => {
    timer = setTimeout(() => resolve({ kind: 'hung' }), boundMs);
  });
  try {
    return await Promise.race([
      work.then(
        (): Settled => ({ kind: 'ok' }),
        (error: unknown): Settled => ({ kind: 'failed', error }),
      ),
      bound,
    ]);
  } finally {
    clearTimeout(timer);
  }
};

const resultOf = (settled: Settled): VmOutcome['result'] =>
  settled.kind === 'failed' ? classify(settled.error) : settled.kind;

const errorOf = (settled: Settled): string | undefined =>
  settled.kind === 'failed' ? describe(settled.error) : undefined;

// Disposes of the VM, then its network; then notes (in `leftovers`) and removes what is left of
// the VM's files, so that one leak is named with the VM that made it and does not count twice.
const tearDown = async (run: LoadRun, id: string, held: Held, leftovers: string[]) => {
  const errors: unknown[] = [];
  for (const owned of [held.vm, held.network]) {
    try {
      await owned?.[Symbol.asyncDispose]();
    } catch (error) {
      errors.push(error);
    }
  }
  leftovers.push(...(await run.removeLeftoversOf(id)));
  if (errors.length > 0) {
    throw errors.length === 1 ? errors[0] : new AggregateError(errors, 'teardown failed');
  }
};

/**
 * Lives one VM's life on the run: a network (a TAP, or a namespace), `Vm.prepare` and `start`
 * to the guest's marker, its use (`useVm`), shutdown and cleanup — each phase timed — and
 * then, whatever happened, its disposal. Never throws: says how it went.
 */
export const runVmLifecycle = async (run: LoadRun, plan: VmPlan): Promise<VmOutcome> => {
  const id = run.nextId(plan.jailed ? 'j' : 'u');
  const held: Held = {};
  const phases: Partial<Record<VmPhase, number>> = {};
  const controller = new AbortController();
  const life = await bounded(live(run, plan, id, held, phases, controller.signal), plan.boundMs);
  // A hung life is aborted so that its waits end; its teardown then proceeds as any other.
  controller.abort(new Error(`the VM's life passed its bound of ${plan.boundMs} ms`));
  const leftovers: string[] = [];
  const teardown = await bounded(tearDown(run, id, held, leftovers), plan.boundMs);
  const error = errorOf(life);
  const teardownError = errorOf(teardown);
  return {
    id,
    plan,
    result: resultOf(life),
    ...(error === undefined ? {} : { error }),
    teardown: resultOf(teardown),
    ...(teardownError === undefined ? {} : { teardownError }),
    leftovers,
    phases,
  };
};
