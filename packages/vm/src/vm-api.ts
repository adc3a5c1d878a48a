// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import type { ProcessHandleExit } from '@kindling/executor';
import type { ApiMethod, ApiResponse, ResponseSchema } from '@kindling/process';
import { mmdsContentsSchema, type InstanceInfo, type MmdsContents } from '@kindling/vmm-core';
import { checkCallOptions } from './call-options.js';
import { failInput } from './input-checks.js';
import type { ResolvedVmConfiguration } from './configuration.js';
import type { VmCallOptions } from './send-api-call.js';
import { createVmEndpointBase, sendRequestCall } from './vm-endpoint-base.js';
import { responseOf, type VmCore, type VmWaitOptions } from './vm-core.js';
import type { VmState } from './vm-state.js';

/** The events of a `Vm`: `exit` (the VM is `exited`) and `crash` (it is `crashed`). */
export type VmEventType = 'exit' | 'crash';

/** A `Vm`'s `exit` or `crash` event; `detail` says how the process ended. */
export type VmEndEvent = CustomEvent<ProcessHandleExit>;

/** A listener of a `Vm`'s events. */
export type VmEventListener = (event: VmEndEvent) => void;

type EventTargetListener<Method extends 'addEventListener' | 'removeEventListener'> = Parameters<
  EventTarget[Method]
>[1];

type EventTargetOptions<Method extends 'addEventListener' | 'removeEventListener'> = Parameters<
  EventTarget[Method]
>[2];

/** What `vm.getMmds()` takes: a schema (e.g. zod) makes it typed. */
export interface GetMmdsOptions<Body> extends VmCallOptions {
  readonly schema?: ResponseSchema<Body>;
}

const API_METHODS: readonly ApiMethod[] = ['GET', 'PUT', 'PATCH', 'DELETE'];
// The raw requests after which Firecracker's run state may differ from what the VM knows.
const STATE_CHANGING = new Set(['PUT /actions', 'PATCH /vm', 'PUT /snapshot/load']);

// The table's methods (`vm-endpoints.ts`) live on this base; the rest are written out below.
const VmEndpointBase = createVmEndpointBase();

/**
 * What a `Vm` offers besides its lifecycle: its state, its events, and every endpoint of
 * Firecracker v1.16.1 as a typed method (most of them rows of `VM_ENDPOINTS`, on the base class;
 * those that do more are below). Each method validates its body with the vmm-core model
 * and checks the VM's state before any request: a call in the wrong state fails with
 * `ERR_WRONG_STATE` naming the state it needs. Paths in bodies are the paths Firecracker sees
 * (inside the jail for a jailed VM).
 */
export class VmApi extends VmEndpointBase {
  readonly #core: VmCore;

  /** Made by `Vm.prepare` and `Vm.restore`. */
  protected constructor(core: VmCore) {
    super(core);
    this.#core = core;
  }

  /** Where the VM is in its life; kept true by watching its process. */
  get state(): VmState {
    return this.#core.state;
  }

  /** The configuration, validated, with its paths as given (host paths). */
  get configuration(): ResolvedVmConfiguration {
    return this.#core.options.configuration;
  }

  /** How the process ended, once it has. */
  get exit(): ProcessHandleExit | undefined {
    return this.#core.exit;
  }

  /** The Firecracker process's pid, once started. */
  get pid(): number | undefined {
    return this.#core.process.pid;
  }

  /** The API socket's host path. */
  get socketPath(): string | undefined {
    return this.#core.process.socketPath;
  }

  /**
   * Listens for `exit` (the process ended cleanly, or as Kindling was asked: the VM is `exited`)
   * or `crash` (it ended on its own with a failure, or unseen: `crashed`). Each fires once at
   * most; `event.detail` says how the process ended.
   */
  override addEventListener(
    type: VmEventType,
    listener: VmEventListener | null,
    options?: EventTargetOptions<'addEventListener'>,
  ): void;
  override addEventListener(...args: Parameters<EventTarget['addEventListener']>): void;
  override addEventListener(
    type: string,
    listener: EventTargetListener<'addEventListener'> | VmEventListener | null,
    options?: EventTargetOptions<'addEventListener'>,
  ): void {
    super.addEventListener(type, listener as EventTargetListener<'addEventListener'>, options);
  }

  /** Stops listening. */
  override removeEventListener(
    type: VmEventType,
    listener: VmEventListener | null,
    options?: EventTargetOptions<'removeEventListener'>,
  ): void;
  override removeEventListener(...args: Parameters<EventTarget['removeEventListener']>): void;
  override removeEventListener(
    type: string,
    listener: EventTargetListener<'removeEventListener'> | VmEventListener | null,
    options?: EventTargetOptions<'removeEventListener'>,
  ): void {
    super.removeEventListener(
      type,
      listener as EventTargetListener<'removeEventListener'>,
      options,
    );
  }

  /**
   * The host path of a path of the configuration as given (a log file, a drive, the vsock
   * socket), or of any path as Firecracker sees it: inside the jail for a jailed VM.
   */
  resolveEffectivePath(file: string): string {
    return this.#core.resolveEffectivePath(file);
  }

  /** Waits for the process to end and returns how it did (default timeout 30 000 ms). */
  waitForExit(options?: VmWaitOptions): Promise<ProcessHandleExit> {
    return this.#core.waitForExit(options);
  }

  /** Takes Firecracker's stdout (kept since start; the serial console by default); once. */
  takeStdout(): ReturnType<VmCore['takeStream']> {
    return this.#core.takeStream('stdout');
  }

  /** Takes Firecracker's stderr (kept since start); once. */
  takeStderr(): ReturnType<VmCore['takeStream']> {
    return this.#core.takeStream('stderr');
  }

  /** `GET /`: the instance's id, state and version; also brings `vm.state` up to date. */
  getInfo(options?: VmCallOptions): Promise<InstanceInfo> {
    return this.#core.refreshState('vm.getInfo()', checkCallOptions(options));
  }

  /**
   * `GET /mmds`: the data store (`{}` when empty); typed when `options.schema` (a zod schema or
   * any `{ parse }`) checks it, untyped JSON otherwise.
   */
  getMmds(options?: VmCallOptions): Promise<MmdsContents>;
  getMmds<Body>(
    options: GetMmdsOptions<Body> & { readonly schema: ResponseSchema<Body> },
  ): Promise<Body>;
  getMmds<Body>(options?: GetMmdsOptions<Body>): Promise<Body | MmdsContents> {
    const checked = checkCallOptions(options, ['schema']);
    const { schema } = options ?? {};
    if (schema !== undefined && typeof schema.parse !== 'function') {
      failInput(
        'ERR_INVALID_INPUT',
        'options.schema',
        'expected a schema with a parse method',
        schema,
      );
    }
    return this.#core.request<Body | MmdsContents>(
      'vm.getMmds()',
      ['process-up'],
      { method: 'GET', path: '/mmds' },
      checked,
      schema ?? responseOf(mmdsContentsSchema),
    );
  }

  /**
   * `PUT /actions` `SendCtrlAltDel` after boot (x86_64): the guest usually reboots, which ends
   * Firecracker, and the VM is then `exited`.
   */
  async sendCtrlAltDel(options?: VmCallOptions): Promise<void> {
    const before = this.#core.expectedEnd;
    // The guest rebooting ends Firecracker: that end was asked for, even if its code is unseen.
    this.#core.expectedEnd ??= 'graceful';
    try {
      await this.#core.request(
        'vm.sendCtrlAltDel()',
        ['booted'],
        { method: 'PUT', path: '/actions', body: { action_type: 'SendCtrlAltDel' } },
        checkCallOptions(options),
      );
    } catch (error) {
      this.#core.expectedEnd = before;
      throw error;
    }
  }

  /**
   * Sends any request, for what the typed methods do not cover; needs the process up. The answer
   * is returned as is, with `deprecated`. After a call that may change the run state
   * (`/actions`, `PATCH /vm`, `/snapshot/load`) the VM asks Firecracker for its state.
   */
  async request<Body = unknown>(
    method: ApiMethod,
    apiPath: string,
    body?: unknown,
    options?: VmCallOptions & { readonly schema?: ResponseSchema<Body> },
  ): Promise<ApiResponse<Body>> {
    if (!API_METHODS.includes(method)) {
      failInput(
        'ERR_INVALID_INPUT',
        'method',
        `expected one of ${API_METHODS.join(', ')} (all Firecracker serves)`,
        method,
      );
    }
    if (typeof apiPath !== 'string' || !apiPath.startsWith('/')) {
      failInput(
        'ERR_INVALID_INPUT',
        'path',
        'expected an absolute API path such as "/machine-config"',
        apiPath,
      );
    }
    const checked = checkCallOptions(options, ['schema']);
    const response = await sendRequestCall<Body>(
      this.#core,
      body === undefined ? { method, path: apiPath } : { method, path: apiPath, body },
      checked,
      options?.schema,
    );
    if (STATE_CHANGING.has(`${method} ${apiPath}`)) {
      await this.#core.refreshState('vm.request()', checked);
    }
    return response;
  }
}
