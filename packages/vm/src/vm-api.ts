// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import type { ProcessHandleExit } from '@kindling/executor';
import type { ApiMethod, ApiResponse, ResponseSchema } from '@kindling/process';
import {
  apiResourceIdSchema,
  balloonHintingStartSchema,
  balloonHintingStatusSchema,
  balloonSchema,
  balloonStatsSchema,
  balloonStatsUpdateSchema,
  balloonUpdateSchema,
  bootSourceSchema,
  cpuConfigSchema,
  driveSchema,
  entropyDeviceSchema,
  firecrackerVersionSchema,
  fullVmConfigurationSchema,
  loggerSchema,
  machineConfigurationSchema,
  memoryHotplugConfigSchema,
  memoryHotplugSizeUpdateSchema,
  memoryHotplugStatusSchema,
  metricsSchema,
  mmdsConfigSchema,
  mmdsContentsSchema,
  networkInterfaceSchema,
  partialDriveSchema,
  partialMachineConfigurationSchema,
  partialNetworkInterfaceSchema,
  partialPmemSchema,
  pmemSchema,
  serialSchema,
  vsockSchema,
  type Balloon,
  type BalloonHintingStart,
  type BalloonHintingStatus,
  type BalloonStats,
  type BalloonStatsUpdate,
  type BalloonUpdate,
  type BootSource,
  type CpuConfig,
  type Drive,
  type EntropyDevice,
  type FullVmConfiguration,
  type InstanceInfo,
  type LoggerConfig,
  type MachineConfiguration,
  type MemoryHotplugConfig,
  type MemoryHotplugSizeUpdate,
  type MemoryHotplugStatus,
  type MetricsConfig,
  type MmdsConfig,
  type MmdsContents,
  type NetworkInterface,
  type PartialDrive,
  type PartialMachineConfiguration,
  type PartialNetworkInterface,
  type PartialPmem,
  type Pmem,
  type SerialConfig,
  type Vsock,
} from '@kindling/vmm-core';
import {
  checkOptionObject,
  checkSignal,
  checkTimeoutMs,
  failInput,
  parseWire,
  type WireSchema,
} from './input-checks.js';
import type { ResolvedVmConfiguration } from './configuration.js';
import type { ApiCall, VmCallOptions } from './send-api-call.js';
import { responseOf, type VmCore, type VmWaitOptions } from './vm-core.js';
import { assertVmState, type VmState, type VmStateRequirement } from './vm-state.js';

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

const checkCallOptions = (options: unknown, extra: readonly string[] = []): VmCallOptions => {
  if (options === undefined) {
    return {};
  }
  const checked = checkOptionObject(
    options,
    ['signal', 'timeoutMs', ...extra],
    'options',
    'ERR_INVALID_INPUT',
  );
  const signal = checkSignal(checked['signal'], 'options.signal');
  const timeoutMs = checkTimeoutMs(checked['timeoutMs'], 'options.timeoutMs');
  return {
    ...(signal === undefined ? {} : { signal }),
    ...(timeoutMs === undefined ? {} : { timeoutMs }),
  };
};

/**
 * What a `Vm` offers besides its lifecycle: its state, its events, and every endpoint of
 * Firecracker v1.16.1 as a typed method. Each method validates its body with the vmm-core model
 * and checks the VM's state before any request: a call in the wrong state fails with
 * `ERR_WRONG_STATE` naming the state it needs. Paths in bodies are the paths Firecracker sees
 * (inside the jail for a jailed VM).
 */
export class VmApi extends EventTarget {
  readonly #core: VmCore;

  /** Made by `Vm.prepare` and `Vm.restore`. */
  protected constructor(core: VmCore) {
    super();
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

  /** `GET /version`: Firecracker's version without a `v`, e.g. `1.16.1`. */
  async getVersion(options?: VmCallOptions): Promise<string> {
    const body = await this.#call(
      'vm.getVersion()',
      ['process-up'],
      { method: 'GET', path: '/version' },
      options,
      firecrackerVersionSchema,
    );
    return body.firecracker_version;
  }

  /** `GET /vm/config`: the whole configuration as Firecracker holds it (paths as it sees them). */
  getVmConfig(options?: VmCallOptions): Promise<FullVmConfiguration> {
    return this.#call(
      'vm.getVmConfig()',
      ['process-up'],
      { method: 'GET', path: '/vm/config' },
      options,
      fullVmConfigurationSchema,
    );
  }

  /** `GET /machine-config`: vCPUs, memory and CPU features. */
  getMachineConfig(options?: VmCallOptions): Promise<MachineConfiguration> {
    return this.#call(
      'vm.getMachineConfig()',
      ['process-up'],
      { method: 'GET', path: '/machine-config' },
      options,
      machineConfigurationSchema,
    );
  }

  /** `PUT /machine-config` before boot; omitted `smt`, `track_dirty_pages`, `huge_pages` reset. */
  async putMachineConfig(config: MachineConfiguration, options?: VmCallOptions): Promise<void> {
    const body = parseWire(machineConfigurationSchema, config, 'config', 'ERR_INVALID_INPUT');
    await this.#call(
      'vm.putMachineConfig()',
      ['boot-configuration'],
      { method: 'PUT', path: '/machine-config', body },
      options,
    );
  }

  /** `PATCH /machine-config` before boot: changes only the fields given (at least one). */
  async patchMachineConfig(
    update: PartialMachineConfiguration,
    options?: VmCallOptions,
  ): Promise<void> {
    const body = parseWire(
      partialMachineConfigurationSchema,
      update,
      'update',
      'ERR_INVALID_INPUT',
    );
    await this.#call(
      'vm.patchMachineConfig()',
      ['boot-configuration'],
      { method: 'PATCH', path: '/machine-config', body },
      options,
    );
  }

  /** `PUT /boot-source` before boot; paths as Firecracker sees them (inside a jail). */
  async putBootSource(bootSource: BootSource, options?: VmCallOptions): Promise<void> {
    const body = parseWire(bootSourceSchema, bootSource, 'bootSource', 'ERR_INVALID_INPUT');
    await this.#call(
      'vm.putBootSource()',
      ['boot-configuration'],
      { method: 'PUT', path: '/boot-source', body },
      options,
    );
  }

  /** `PUT /cpu-config` before boot (also before a snapshot load): a custom CPU template. */
  async putCpuConfig(config: CpuConfig, options?: VmCallOptions): Promise<void> {
    const body = parseWire(cpuConfigSchema, config, 'config', 'ERR_INVALID_INPUT');
    await this.#call(
      'vm.putCpuConfig()',
      ['pre-boot'],
      { method: 'PUT', path: '/cpu-config', body },
      options,
    );
  }

  /**
   * `PUT /drives/{drive_id}`: adds a drive before boot, or hot-plugs one after (Firecracker needs
   * `--enable-pci`); `path_on_host` as Firecracker sees it.
   */
  async putDrive(drive: Drive, options?: VmCallOptions): Promise<void> {
    const body = parseWire(driveSchema, drive, 'drive', 'ERR_INVALID_INPUT');
    await this.#call(
      'vm.putDrive()',
      ['boot-configuration', 'booted'],
      { method: 'PUT', path: `/drives/${body.drive_id}`, body },
      options,
    );
  }

  /** `PATCH /drives/{drive_id}` after boot: a new backing file or rate limiter. */
  async patchDrive(update: PartialDrive, options?: VmCallOptions): Promise<void> {
    const body = parseWire(partialDriveSchema, update, 'update', 'ERR_INVALID_INPUT');
    await this.#call(
      'vm.patchDrive()',
      ['booted'],
      { method: 'PATCH', path: `/drives/${body.drive_id}`, body },
      options,
    );
  }

  /** `DELETE /drives/{drive_id}` after boot: hot-unplugs a drive (PCI; not the root device). */
  async deleteDrive(driveId: string, options?: VmCallOptions): Promise<void> {
    const id = parseWire(apiResourceIdSchema, driveId, 'driveId', 'ERR_INVALID_INPUT');
    await this.#call(
      'vm.deleteDrive()',
      ['booted'],
      { method: 'DELETE', path: `/drives/${id}` },
      options,
    );
  }

  /**
   * `PUT /network-interfaces/{iface_id}`: adds (or before boot replaces) an interface, or
   * hot-plugs one after boot. Replacing one detaches it from MMDS.
   */
  async putNetworkInterface(iface: NetworkInterface, options?: VmCallOptions): Promise<void> {
    const body = parseWire(networkInterfaceSchema, iface, 'iface', 'ERR_INVALID_INPUT');
    await this.#call(
      'vm.putNetworkInterface()',
      ['boot-configuration', 'booted'],
      { method: 'PUT', path: `/network-interfaces/${body.iface_id}`, body },
      options,
    );
  }

  /** `PATCH /network-interfaces/{iface_id}` after boot: new rate limiters. */
  async patchNetworkInterface(
    update: PartialNetworkInterface,
    options?: VmCallOptions,
  ): Promise<void> {
    const body = parseWire(partialNetworkInterfaceSchema, update, 'update', 'ERR_INVALID_INPUT');
    await this.#call(
      'vm.patchNetworkInterface()',
      ['booted'],
      { method: 'PATCH', path: `/network-interfaces/${body.iface_id}`, body },
      options,
    );
  }

  /** `DELETE /network-interfaces/{iface_id}` after boot: hot-unplugs an interface. */
  async deleteNetworkInterface(ifaceId: string, options?: VmCallOptions): Promise<void> {
    const id = parseWire(apiResourceIdSchema, ifaceId, 'ifaceId', 'ERR_INVALID_INPUT');
    await this.#call(
      'vm.deleteNetworkInterface()',
      ['booted'],
      { method: 'DELETE', path: `/network-interfaces/${id}` },
      options,
    );
  }

  /** `PUT /pmem/{id}`: adds a pmem device before boot, or hot-plugs one after. */
  async putPmem(device: Pmem, options?: VmCallOptions): Promise<void> {
    const body = parseWire(pmemSchema, device, 'device', 'ERR_INVALID_INPUT');
    await this.#call(
      'vm.putPmem()',
      ['boot-configuration', 'booted'],
      { method: 'PUT', path: `/pmem/${body.id}`, body },
      options,
    );
  }

  /** `PATCH /pmem/{id}` after boot: a new rate limiter. */
  async patchPmem(update: PartialPmem, options?: VmCallOptions): Promise<void> {
    const body = parseWire(partialPmemSchema, update, 'update', 'ERR_INVALID_INPUT');
    await this.#call(
      'vm.patchPmem()',
      ['booted'],
      { method: 'PATCH', path: `/pmem/${body.id}`, body },
      options,
    );
  }

  /** `DELETE /pmem/{id}` after boot: hot-unplugs a pmem device. */
  async deletePmem(id: string, options?: VmCallOptions): Promise<void> {
    const checked = parseWire(apiResourceIdSchema, id, 'id', 'ERR_INVALID_INPUT');
    await this.#call(
      'vm.deletePmem()',
      ['booted'],
      { method: 'DELETE', path: `/pmem/${checked}` },
      options,
    );
  }

  /** `PUT /vsock` before boot; `uds_path` as Firecracker sees it, and it must not exist. */
  async putVsock(vsock: Vsock, options?: VmCallOptions): Promise<void> {
    const body = parseWire(vsockSchema, vsock, 'vsock', 'ERR_INVALID_INPUT');
    await this.#call(
      'vm.putVsock()',
      ['boot-configuration'],
      { method: 'PUT', path: '/vsock', body },
      options,
    );
  }

  /** `PUT /entropy` before boot: the virtio-rng device. */
  async putEntropy(device: EntropyDevice = {}, options?: VmCallOptions): Promise<void> {
    const body = parseWire(entropyDeviceSchema, device, 'device', 'ERR_INVALID_INPUT');
    await this.#call(
      'vm.putEntropy()',
      ['boot-configuration'],
      { method: 'PUT', path: '/entropy', body },
      options,
    );
  }

  /** `PUT /balloon` before boot; `amount_mib` at most the memory configured so far. */
  async putBalloon(balloon: Balloon, options?: VmCallOptions): Promise<void> {
    const body = parseWire(balloonSchema, balloon, 'balloon', 'ERR_INVALID_INPUT');
    await this.#call(
      'vm.putBalloon()',
      ['boot-configuration'],
      { method: 'PUT', path: '/balloon', body },
      options,
    );
  }

  /** `GET /balloon`: the balloon's configuration. */
  getBalloon(options?: VmCallOptions): Promise<Balloon> {
    return this.#call(
      'vm.getBalloon()',
      ['process-up'],
      { method: 'GET', path: '/balloon' },
      options,
      balloonSchema,
    );
  }

  /** `PATCH /balloon` after boot: a new target size. */
  async patchBalloon(update: BalloonUpdate, options?: VmCallOptions): Promise<void> {
    const body = parseWire(balloonUpdateSchema, update, 'update', 'ERR_INVALID_INPUT');
    await this.#call(
      'vm.patchBalloon()',
      ['booted'],
      { method: 'PATCH', path: '/balloon', body },
      options,
    );
  }

  /** `GET /balloon/statistics` after boot (statistics enabled with `stats_polling_interval_s`). */
  getBalloonStatistics(options?: VmCallOptions): Promise<BalloonStats> {
    return this.#call(
      'vm.getBalloonStatistics()',
      ['booted'],
      { method: 'GET', path: '/balloon/statistics' },
      options,
      balloonStatsSchema,
    );
  }

  /** `PATCH /balloon/statistics` after boot: a new polling interval (non-zero stays non-zero). */
  async patchBalloonStatistics(update: BalloonStatsUpdate, options?: VmCallOptions): Promise<void> {
    const body = parseWire(balloonStatsUpdateSchema, update, 'update', 'ERR_INVALID_INPUT');
    await this.#call(
      'vm.patchBalloonStatistics()',
      ['booted'],
      { method: 'PATCH', path: '/balloon/statistics', body },
      options,
    );
  }

  /** `PATCH /balloon/hinting/start` after boot (`free_page_hinting` enabled): starts a run. */
  async startBalloonHinting(start?: BalloonHintingStart, options?: VmCallOptions): Promise<void> {
    const body =
      start === undefined
        ? undefined
        : parseWire(balloonHintingStartSchema, start, 'start', 'ERR_INVALID_INPUT');
    await this.#call(
      'vm.startBalloonHinting()',
      ['booted'],
      { method: 'PATCH', path: '/balloon/hinting/start', body },
      options,
    );
  }

  /** `GET /balloon/hinting/status` after boot: the last host and guest hinting commands. */
  getBalloonHintingStatus(options?: VmCallOptions): Promise<BalloonHintingStatus> {
    return this.#call(
      'vm.getBalloonHintingStatus()',
      ['booted'],
      { method: 'GET', path: '/balloon/hinting/status' },
      options,
      balloonHintingStatusSchema,
    );
  }

  /** `PATCH /balloon/hinting/stop` after boot: ends a hinting run. */
  async stopBalloonHinting(options?: VmCallOptions): Promise<void> {
    await this.#call(
      'vm.stopBalloonHinting()',
      ['booted'],
      { method: 'PATCH', path: '/balloon/hinting/stop' },
      options,
    );
  }

  /** `PUT /logger` before boot (also before a snapshot load); `log_path` as Firecracker sees it. */
  async putLogger(config: LoggerConfig, options?: VmCallOptions): Promise<void> {
    const body = parseWire(loggerSchema, config, 'config', 'ERR_INVALID_INPUT');
    await this.#call(
      'vm.putLogger()',
      ['pre-boot'],
      { method: 'PUT', path: '/logger', body },
      options,
    );
  }

  /** `PUT /metrics` before boot, once (not after `--metrics-path`). */
  async putMetrics(config: MetricsConfig, options?: VmCallOptions): Promise<void> {
    const body = parseWire(metricsSchema, config, 'config', 'ERR_INVALID_INPUT');
    await this.#call(
      'vm.putMetrics()',
      ['pre-boot'],
      { method: 'PUT', path: '/metrics', body },
      options,
    );
  }

  /** `PUT /serial` before boot: where the guest's serial output goes. */
  async putSerial(config: SerialConfig, options?: VmCallOptions): Promise<void> {
    const body = parseWire(serialSchema, config, 'config', 'ERR_INVALID_INPUT');
    await this.#call(
      'vm.putSerial()',
      ['pre-boot'],
      { method: 'PUT', path: '/serial', body },
      options,
    );
  }

  /** `PUT /mmds/config` before boot; the interfaces it names must exist. */
  async putMmdsConfig(config: MmdsConfig, options?: VmCallOptions): Promise<void> {
    const body = parseWire(mmdsConfigSchema, config, 'config', 'ERR_INVALID_INPUT');
    await this.#call(
      'vm.putMmdsConfig()',
      ['boot-configuration'],
      { method: 'PUT', path: '/mmds/config', body },
      options,
    );
  }

  /** `PUT /mmds`: replaces the MMDS data store (after boot, MMDS must be on an interface). */
  async putMmds(data: unknown, options?: VmCallOptions): Promise<void> {
    const body = parseWire(mmdsContentsSchema, data, 'data', 'ERR_INVALID_INPUT');
    await this.#call(
      'vm.putMmds()',
      ['process-up'],
      { method: 'PUT', path: '/mmds', body },
      options,
    );
  }

  /** `PATCH /mmds`: merges into the data store (RFC 7396); needs a prior `putMmds`. */
  async patchMmds(patch: unknown, options?: VmCallOptions): Promise<void> {
    const body = parseWire(mmdsContentsSchema, patch, 'patch', 'ERR_INVALID_INPUT');
    await this.#call(
      'vm.patchMmds()',
      ['process-up'],
      { method: 'PATCH', path: '/mmds', body },
      options,
    );
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
    return schema === undefined
      ? this.#call(
          'vm.getMmds()',
          ['process-up'],
          { method: 'GET', path: '/mmds' },
          checked,
          mmdsContentsSchema,
        )
      : this.#core.request(
          'vm.getMmds()',
          ['process-up'],
          { method: 'GET', path: '/mmds' },
          checked,
          schema,
        );
  }

  /** `PUT /hotplug/memory` before boot: the hot-pluggable memory region. */
  async putMemoryHotplug(config: MemoryHotplugConfig, options?: VmCallOptions): Promise<void> {
    const body = parseWire(memoryHotplugConfigSchema, config, 'config', 'ERR_INVALID_INPUT');
    await this.#call(
      'vm.putMemoryHotplug()',
      ['boot-configuration'],
      { method: 'PUT', path: '/hotplug/memory', body },
      options,
    );
  }

  /** `GET /hotplug/memory` after boot: sizes configured, plugged and requested. */
  getMemoryHotplugStatus(options?: VmCallOptions): Promise<MemoryHotplugStatus> {
    return this.#call(
      'vm.getMemoryHotplugStatus()',
      ['booted'],
      { method: 'GET', path: '/hotplug/memory' },
      options,
      memoryHotplugStatusSchema,
    );
  }

  /** `PATCH /hotplug/memory` after boot: the size to plug (blocks; the guest driver must be up). */
  async patchMemoryHotplug(
    update: MemoryHotplugSizeUpdate,
    options?: VmCallOptions,
  ): Promise<void> {
    const body = parseWire(memoryHotplugSizeUpdateSchema, update, 'update', 'ERR_INVALID_INPUT');
    await this.#call(
      'vm.patchMemoryHotplug()',
      ['booted'],
      { method: 'PATCH', path: '/hotplug/memory', body },
      options,
    );
  }

  /** `PUT /actions` `FlushMetrics` after boot: writes a metrics line now. */
  async flushMetrics(options?: VmCallOptions): Promise<void> {
    await this.#call(
      'vm.flushMetrics()',
      ['booted'],
      { method: 'PUT', path: '/actions', body: { action_type: 'FlushMetrics' } },
      options,
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
      await this.#call(
        'vm.sendCtrlAltDel()',
        ['booted'],
        { method: 'PUT', path: '/actions', body: { action_type: 'SendCtrlAltDel' } },
        options,
      );
    } catch (error) {
      this.#core.expectedEnd = before;
      throw error;
    }
  }

  /** `PATCH /vm` `Paused`: stops the vCPUs; needs `running`. */
  async pause(options?: VmCallOptions): Promise<void> {
    await this.#call(
      'vm.pause()',
      ['running'],
      { method: 'PATCH', path: '/vm', body: { state: 'Paused' } },
      options,
    );
    this.#core.setRunState('paused');
  }

  /** `PATCH /vm` `Resumed`: runs the vCPUs again; needs `paused`. */
  async resume(options?: VmCallOptions): Promise<void> {
    await this.#call(
      'vm.resume()',
      ['paused'],
      { method: 'PATCH', path: '/vm', body: { state: 'Resumed' } },
      options,
    );
    this.#core.setRunState('running');
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
    const call: ApiCall =
      body === undefined ? { method, path: apiPath } : { method, path: apiPath, body };
    assertVmState(this.#core.view(), ['process-up'], 'vm.request()');
    const response = await this.#core.send<Body>('vm.request()', call, checked, options?.schema);
    if (STATE_CHANGING.has(`${method} ${apiPath}`)) {
      await this.#core.refreshState('vm.request()', checked);
    }
    return response;
  }

  async #call<Schema extends WireSchema>(
    caller: string,
    needs: readonly VmStateRequirement[],
    call: ApiCall,
    options: VmCallOptions | undefined,
    schema: Schema,
  ): Promise<ReturnType<ReturnType<typeof responseOf<Schema>>['parse']>>;
  async #call(
    caller: string,
    needs: readonly VmStateRequirement[],
    call: ApiCall,
    options: VmCallOptions | undefined,
  ): Promise<undefined>;
  #call<Schema extends WireSchema>(
    caller: string,
    needs: readonly VmStateRequirement[],
    call: ApiCall,
    options: VmCallOptions | undefined,
    schema?: Schema,
  ): Promise<unknown> {
    return this.#core.request(
      caller,
      needs,
      call,
      checkCallOptions(options),
      schema === undefined ? undefined : responseOf(schema),
    );
  }
}
