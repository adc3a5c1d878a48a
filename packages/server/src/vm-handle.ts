// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import type { ProcessHandleExit } from '@kindling/executor';
import type { ApiMethod } from '@kindling/process';
import type { Vm, VmState } from '@kindling/vm';

export type { ApiMethod, VmState };

/** What the guest routes (exec, files, HTTP over vsock) use of a `Vm`: the extensions' `ExecVm` and `VsockVm`. */
export type GuestVm = Pick<
  Vm,
  'state' | 'connectVsock' | 'getInfo' | 'addEventListener' | 'removeEventListener'
>;

/** An answer of Firecracker's API, passed through as it came. */
export interface PassthroughAnswer {
  readonly status: number;
  readonly body: unknown;
}

/**
 * One VM the server holds: a `Vm` it made, or a Firecracker process it found running when it
 * started (re-adopted). The routes drive both through this.
 */
export interface VmHandle {
  readonly state: VmState;
  readonly pid: number | undefined;
  readonly apiSocket: string | undefined;
  readonly exit: ProcessHandleExit | undefined;
  readonly adopted: boolean;
  /** The `Vm` the guest routes talk through; undefined for a re-adopted VM (no `Vm` of ours). */
  readonly guest: GuestVm | undefined;
  /** Settles once the process has ended (never rejects). */
  readonly ended: Promise<void>;
  start(signal: AbortSignal): Promise<void>;
  pause(signal: AbortSignal): Promise<void>;
  resume(signal: AbortSignal): Promise<void>;
  /** Writes a snapshot of a paused VM to these host paths. */
  snapshot(
    type: 'Full' | 'Diff',
    snapshotPath: string,
    memoryPath: string,
    signal: AbortSignal,
  ): Promise<void>;
  /** Ctrl+Alt+Del for `timeoutMs`, then a kill; a kill at once when `force`. */
  stop(
    options: { readonly timeoutMs: number; readonly force: boolean },
    signal: AbortSignal,
  ): Promise<void>;
  /** Any API request; Firecracker's refusals are answers too. */
  request(
    method: ApiMethod,
    apiPath: string,
    body: unknown,
    signal: AbortSignal,
  ): Promise<PassthroughAnswer>;
  /** Stops it if needed (a kill) and removes everything it made. */
  dispose(): Promise<void>;
}
