// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import type { Socket } from 'node:net';
import type { FakeExitPoint, FakeVsockServiceKind } from '../../faults/env-switches.js';
import type { SimulatedGuest } from '../../guest/simulated-guest.js';
import type { FirecrackerLogger } from '../firecracker-logger.js';
import type { FirecrackerMetrics } from '../firecracker-metrics.js';
import type { DeviceHost } from './configure-devices.js';
import { MmdsStore } from './mmds-store.js';
import type { VmmAction } from './vmm-action.js';
import type { VmmOutcome } from './vmm-outcome.js';
import { createVmResources, type VmResources } from './vm-resources.js';

/** The VM state of `GET /` (`InstanceInfo.state`). */
export type VmState = 'Not started' | 'Running' | 'Paused';

/** What the VMM needs from the process around it. */
export interface VmmContext {
  readonly instanceId: string;
  readonly resolvePath: (path: string) => string;
  /** Where a Unix socket path (vsock `uds_path`, a `Uffd` backend) is bound or connected to. */
  readonly resolveSocketPath: (path: string) => string;
  readonly logger: FirecrackerLogger;
  readonly metrics: FirecrackerMetrics;
  readonly guest: SimulatedGuest;
  readonly enablePci: boolean;
  readonly mmdsSizeLimit: number;
  readonly vsockServices: ReadonlyMap<number, FakeVsockServiceKind>;
  /** The protocol version the exec agent announces (KINDLING_FAKE_EXEC_PROTOCOL). */
  readonly execProtocol: number | undefined;
  /** Ends the process if `KINDLING_FAKE_EXIT` names this point; true when it does. */
  readonly exitAt: (point: FakeExitPoint) => boolean;
  /** The VM started (booted or restored): periodic metrics begin. */
  readonly onStarted: () => void;
}

/** The VMM's mutable state, shared by the action handlers. */
export interface VmmCore {
  readonly context: VmmContext;
  readonly host: DeviceHost;
  readonly mmds: MmdsStore;
  state: VmState;
  resources: VmResources;
  /** A boot-path resource was configured: a snapshot load is no longer allowed. */
  bootPathConfigured: boolean;
  /** The connection to a `Uffd` memory handler after a restore. */
  uffd: Socket | undefined;
  /** The last free page hinting command id. */
  hintCommand: number;
}

/** A fresh VMM over `context`: nothing configured, not started. */
export const createVmmCore = (context: VmmContext): VmmCore => ({
  context,
  host: {
    resolvePath: context.resolvePath,
    enablePci: context.enablePci,
    logger: context.logger,
  },
  mmds: new MmdsStore(context.mmdsSizeLimit),
  state: 'Not started',
  resources: createVmResources(),
  bootPathConfigured: false,
  uffd: undefined,
  hintCommand: 1,
});

/** An outcome, or `exit`: the process is ending and the request gets no answer. */
export type HandleResult = VmmOutcome | 'exit';

/** The handler of one action type; `booted` is whether the VM has started. */
export type ActionHandler<Type extends VmmAction['type']> = (
  core: VmmCore,
  action: Extract<VmmAction, { type: Type }>,
  booted: boolean,
) => HandleResult | Promise<HandleResult>;

/** A handler for every action type. */
export type ActionHandlers = { readonly [Type in VmmAction['type']]: ActionHandler<Type> };
