// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import type { Writable } from 'node:stream';
import { OutputFile } from './output-file.js';

/** Firecracker's log level filter (`--level`, `PUT /logger`). */
export type LevelFilter = 'Off' | 'Error' | 'Warn' | 'Info' | 'Debug' | 'Trace';

/** The level of one log record. */
export type LogLevel = Exclude<LevelFilter, 'Off'>;

const RANK: Readonly<Record<LevelFilter, number>> = {
  Off: 0,
  Error: 1,
  Warn: 2,
  Info: 3,
  Debug: 4,
  Trace: 5,
};

const BY_NAME: Readonly<Record<string, LevelFilter>> = {
  off: 'Off',
  trace: 'Trace',
  debug: 'Debug',
  info: 'Info',
  warn: 'Warn',
  warning: 'Warn',
  error: 'Error',
};

/** Firecracker's `LevelFilter::from_str`: case-insensitive, `Warning` as an alias of `Warn`. */
export const parseLevelFilter = (text: string): LevelFilter | undefined =>
  BY_NAME[text.toLowerCase()];

/** The instance id Firecracker logs before `--id` is applied. */
export const DEFAULT_INSTANCE_ID = 'anonymous-instance';

/** Where a record comes from: the thread that logs it, its Rust module and `file:line`. */
export interface LogSite {
  readonly thread: string;
  readonly module: string;
  readonly origin: string;
}

/** Settings applied by `--log-path`/`--level`/… or `PUT /logger`. */
export interface LoggerUpdate {
  readonly logPath?: string | undefined;
  readonly level?: LevelFilter | undefined;
  readonly showLevel?: boolean | undefined;
  readonly showLogOrigin?: boolean | undefined;
  readonly module?: string | undefined;
}

const pad = (value: number, width = 2): string => String(value).padStart(width, '0');

// Firecracker's `LocalTime`: local time with nanoseconds.
const formatLocalTime = (): string => {
  const nowMs = performance.timeOrigin + performance.now();
  const date = new Date(Math.floor(nowMs));
  const nanos = Math.floor((nowMs % 1000) * 1e6);
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}.${pad(nanos, 9)}`;
};

/**
 * Firecracker's logger: lines `<time> [<id>:<thread>[:LEVEL][:file:line]] message` on stdout, or
 * in `log_path` once configured; filtered by level and by module-path prefix.
 */
export class FirecrackerLogger {
  instanceId = DEFAULT_INSTANCE_ID;
  private level: LevelFilter = 'Info';
  private showLevel = false;
  private showLogOrigin = false;
  private module: string | undefined;
  private file: OutputFile | undefined;
  private readonly stdout: Writable;
  /** Called for each line a full FIFO refused (the `logger.missed_log_count` metric). */
  onMissed: () => void = () => {
    // Nothing counts lost lines until the metrics exist.
  };

  constructor(stdout: Writable) {
    this.stdout = stdout;
  }

  /** Applies a configuration; opening `logPath` may throw (the caller maps the error). */
  update(update: LoggerUpdate, resetLevel: boolean): void {
    if (update.logPath !== undefined) {
      const file = new OutputFile(update.logPath);
      this.file?.close();
      this.file = file;
    }
    if (update.level !== undefined) {
      this.level = update.level;
    } else if (resetLevel) {
      this.level = 'Info';
    }
    if (update.showLevel !== undefined) {
      this.showLevel = update.showLevel;
    }
    if (update.showLogOrigin !== undefined) {
      this.showLogOrigin = update.showLogOrigin;
    }
    if (update.module !== undefined) {
      this.module = update.module;
    }
  }

  enabled(level: LogLevel): boolean {
    return RANK[level] <= RANK[this.level];
  }

  log(level: LogLevel, site: LogSite, message: string): void {
    if (
      !this.enabled(level) ||
      (this.module !== undefined && !site.module.startsWith(this.module))
    ) {
      return;
    }
    const levelText = this.showLevel ? `:${level.toUpperCase()}` : '';
    const origin = this.showLogOrigin ? `:${site.origin}` : '';
    const line = `${formatLocalTime()} [${this.instanceId}:${site.thread}${levelText}${origin}] ${message}\n`;
    if (this.file === undefined) {
      this.stdout.write(line);
    } else if (!this.file.write(Buffer.from(line))) {
      this.onMissed();
    }
  }

  error(site: LogSite, message: string): void {
    this.log('Error', site, message);
  }

  warn(site: LogSite, message: string): void {
    this.log('Warn', site, message);
  }

  /** rpc_interface's line after a timed VMM action: Debug for a snapshot load, else Info. */
  vmmActionTook(name: string, latencyUs: number): void {
    const message = `'${name}' VMM action took ${latencyUs} us.`;
    if (name === 'load snapshot') {
      this.debug(LOG_SITES.loadSnapshotTook, message);
    } else {
      this.info(
        name === 'pause vm'
          ? LOG_SITES.pauseTook
          : name === 'resume vm'
            ? LOG_SITES.resumeTook
            : LOG_SITES.createSnapshotTook,
        message,
      );
    }
  }

  /** builder.rs's Debug `event_start:` / `event_end:` lines around a snapshot restore. */
  restoreEvent(edge: 'start' | 'end'): void {
    this.debug(
      edge === 'start' ? LOG_SITES.restoreStart : LOG_SITES.restoreEnd,
      `event_${edge}: build microvm from snapshot`,
    );
  }

  info(site: LogSite, message: string): void {
    this.log('Info', site, message);
  }

  debug(site: LogSite, message: string): void {
    this.log('Debug', site, message);
  }

  close(): void {
    this.file?.close();
    this.file = undefined;
  }
}

/** The log sites the fake uses, named after where Firecracker logs the same lines. */
export const LOG_SITES = {
  main: { thread: 'main', module: 'firecracker', origin: 'src/firecracker/src/main.rs:110' },
  mainExit: { thread: 'main', module: 'firecracker', origin: 'src/firecracker/src/main.rs:113' },
  mainStart: { thread: 'main', module: 'firecracker', origin: 'src/firecracker/src/main.rs:333' },
  apiServer: {
    thread: 'fc_api',
    module: 'firecracker::api_server',
    origin: 'src/firecracker/src/api_server/mod.rs:85',
  },
  apiServerShutdown: {
    thread: 'fc_api',
    module: 'firecracker::api_server',
    origin: 'src/firecracker/src/api_server/mod.rs:97',
  },
  apiCallDuration: {
    thread: 'fc_api',
    module: 'firecracker::api_server',
    origin: 'src/firecracker/src/api_server/mod.rs:116',
  },
  apiRequestTook: {
    thread: 'fc_api',
    module: 'firecracker::api_server',
    origin: 'src/firecracker/src/api_server/mod.rs:183',
  },
  apiRequest: {
    thread: 'fc_api',
    module: 'firecracker::api_server::parsed_request',
    origin: 'src/firecracker/src/api_server/parsed_request.rs:76',
  },
  apiResponse: {
    thread: 'fc_api',
    module: 'firecracker::api_server::parsed_request',
    origin: 'src/firecracker/src/api_server/parsed_request.rs:192',
  },
  apiResponseBody: {
    thread: 'fc_api',
    module: 'firecracker::api_server::parsed_request',
    origin: 'src/firecracker/src/api_server/parsed_request.rs:169',
  },
  apiResponseError: {
    thread: 'fc_api',
    module: 'firecracker::api_server::parsed_request',
    origin: 'src/firecracker/src/api_server/parsed_request.rs:225',
  },
  adapter: {
    thread: 'main',
    module: 'firecracker::api_server_adapter',
    origin: 'src/firecracker/src/api_server_adapter.rs:228',
  },
  listening: {
    thread: 'main',
    module: 'firecracker::api_server_adapter',
    origin: 'src/firecracker/src/api_server_adapter.rs:189',
  },
  vmm: { thread: 'main', module: 'vmm', origin: 'src/vmm/src/lib.rs:643' },
  builder: { thread: 'main', module: 'vmm::builder', origin: 'src/vmm/src/builder.rs:350' },
  buildStart: { thread: 'main', module: 'vmm::builder', origin: 'src/vmm/src/builder.rs:388' },
  bootStart: { thread: 'main', module: 'vmm::builder', origin: 'src/vmm/src/builder.rs:390' },
  bootEnd: { thread: 'main', module: 'vmm::builder', origin: 'src/vmm/src/builder.rs:392' },
  restoreStart: { thread: 'main', module: 'vmm::builder', origin: 'src/vmm/src/builder.rs:449' },
  restoreEnd: { thread: 'main', module: 'vmm::builder', origin: 'src/vmm/src/builder.rs:553' },
  kickDevices: {
    thread: 'main',
    module: 'vmm::device_manager',
    origin: 'src/vmm/src/device_manager/mod.rs:375',
  },
  vmConfigWarning: {
    thread: 'main',
    module: 'vmm::rpc_interface',
    origin: 'src/vmm/src/rpc_interface.rs:457',
  },
  loadSnapshotTook: {
    thread: 'main',
    module: 'vmm::rpc_interface',
    origin: 'src/vmm/src/rpc_interface.rs:680',
  },
  pauseTook: {
    thread: 'main',
    module: 'vmm::rpc_interface',
    origin: 'src/vmm/src/rpc_interface.rs:877',
  },
  resumeTook: {
    thread: 'main',
    module: 'vmm::rpc_interface',
    origin: 'src/vmm/src/rpc_interface.rs:890',
  },
  createSnapshotTook: {
    thread: 'main',
    module: 'vmm::rpc_interface',
    origin: 'src/vmm/src/rpc_interface.rs:940',
  },
  blockDevice: {
    thread: 'main',
    module: 'vmm::devices::virtio::block::virtio::device',
    origin: 'src/vmm/src/devices/virtio/block/virtio/device.rs:82',
  },
  signals: {
    thread: 'main',
    module: 'vmm::signal_handler',
    origin: 'src/vmm/src/signal_handler.rs:118',
  },
  vcpu: {
    thread: 'fc_vcpu 0',
    module: 'vmm::vstate::vcpu',
    origin: 'src/vmm/src/vstate/vcpu.rs:415',
  },
} as const satisfies Record<string, LogSite>;
