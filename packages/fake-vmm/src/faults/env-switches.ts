// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { constants } from 'node:os';

/**
 * Every environment switch the fakes read, by role. Only the fakes accept them; a real
 * Firecracker ignores its environment. The fake jailer keeps every `KINDLING_FAKE_*` variable
 * when it clears the environment.
 */
export const FAKE_ENV = {
  /** Internal: the folder every path the fake Firecracker touches resolves against (the jail root). */
  chroot: 'KINDLING_FAKE_CHROOT',
  /**
   * Internal: `<uid>:<gid>` a detached fake Firecracker switches to once it has loaded its code
   * and moved into the jail, so that it needs nothing outside the jail (as the real jailer's copy).
   */
  jailIds: 'KINDLING_FAKE_JAIL_IDS',
  /** `<ms>`: wait this long before binding the API socket. */
  socketDelayMs: 'KINDLING_FAKE_SOCKET_DELAY_MS',
  /** `<point>:<outcome>[;…]`: exit at a named point; see `parseExitRules`. */
  exit: 'KINDLING_FAKE_EXIT',
  /** `<METHOD> <path>=<action>[@<n>][;…]`: delay, stall or drop responses; see `parseResponseFaults`. */
  responseFaults: 'KINDLING_FAKE_RESPONSE_FAULTS',
  /** `<line>`: the last line of the guest's boot log on the serial console. */
  bootMarker: 'KINDLING_FAKE_BOOT_MARKER',
  /** `<ms>`: time from `InstanceStart` to the boot marker line. */
  bootDelayMs: 'KINDLING_FAKE_BOOT_DELAY_MS',
  /**
   * `<ms>`: this long after `InstanceStart` (later if paused then) the guest dies as a real one does
   * on a KVM host that cannot run it: `KVM_EXIT_INTERNAL_ERROR`, and Firecracker exits 1.
   */
  guestCrashMs: 'KINDLING_FAKE_GUEST_CRASH_MS',
  /** `reboot[:<ms>]` or `ignore`: what the guest does on `SendCtrlAltDel`. */
  ctrlAltDel: 'KINDLING_FAKE_CTRL_ALT_DEL',
  /** `<port>=<echo|http|grpc|exec>[,…]`, or empty for none: the guest's vsock listeners. */
  vsockServices: 'KINDLING_FAKE_VSOCK_SERVICES',
  /**
   * `<n>`: the protocol version the guest's exec agent announces (PROTOCOL_VERSION of
   * `@kindling/exec-agent` when unset), to see a host refuse an agent of another version.
   */
  execProtocol: 'KINDLING_FAKE_EXEC_PROTOCOL',
  /** `<port>[,…]`: after booting, the guest connects to `<uds_path>_<port>` for each port. */
  vsockGuestConnect: 'KINDLING_FAKE_VSOCK_GUEST_CONNECT',
  /** `<path>`: append an NDJSON record of every request to this host path (never chroot-relative). */
  journal: 'KINDLING_FAKE_JOURNAL',
  /** `<ms>`: the period of the automatic metrics flush (Firecracker's is 60 000). */
  metricsPeriodMs: 'KINDLING_FAKE_METRICS_PERIOD_MS',
  /** Fake jailer only: absolute folder standing in for the cgroup mounts (see the jailer). */
  cgroupRoot: 'KINDLING_FAKE_CGROUP_ROOT',
} as const;

/** The named points at which `KINDLING_FAKE_EXIT` can end the process. */
export type FakeExitPoint =
  'startup' | 'before-instance-start' | 'snapshot-create' | 'snapshot-load' | 'after-requests';

/** How the process ends: an exit code, or a signal it raises against itself. */
export type FakeExitOutcome =
  | { readonly exitCode: number; readonly signal?: undefined }
  | { readonly signal: NodeJS.Signals; readonly exitCode?: undefined };

/** One `KINDLING_FAKE_EXIT` rule. `afterRequests` is set only for the `after-requests` point. */
export interface FakeExitRule {
  readonly point: FakeExitPoint;
  /** For `after-requests`: exit once this many responses have been written. */
  readonly afterRequests?: number;
  readonly outcome: FakeExitOutcome;
}

/** What a response fault does to a matching request once it has been handled. */
export type FakeResponseAction =
  | { readonly kind: 'delay'; readonly delayMs: number }
  | { readonly kind: 'stall' }
  | { readonly kind: 'drop' };

/** One `KINDLING_FAKE_RESPONSE_FAULTS` rule. */
export interface FakeResponseFault {
  /** `GET`, `PUT`, `PATCH`, `DELETE`, or `*` for any. */
  readonly method: string;
  /** The request path exactly as sent, or a prefix when it ends with `*` (`*` alone: any). */
  readonly path: string;
  readonly action: FakeResponseAction;
  /** Only the n-th matching request (1-based); every match when absent. */
  readonly nth?: number;
}

/** The kinds of guest service a vsock port can run. */
export type FakeVsockServiceKind = 'echo' | 'http' | 'grpc' | 'exec';

/** What the guest does on Ctrl-Alt-Del: reboot (the process exits 0) after a delay, or nothing. */
export type FakeCtrlAltDel =
  { readonly kind: 'reboot'; readonly delayMs: number } | { readonly kind: 'ignore' };

/** Every switch, parsed and with defaults applied. */
export interface FakeEnvConfig {
  readonly chrootDir: string | undefined;
  readonly socketDelayMs: number;
  readonly exitRules: readonly FakeExitRule[];
  readonly responseFaults: readonly FakeResponseFault[];
  readonly bootMarker: string;
  readonly bootDelayMs: number;
  /** When the guest dies by itself after `InstanceStart`; never when absent. */
  readonly guestCrashMs: number | undefined;
  readonly ctrlAltDel: FakeCtrlAltDel;
  readonly vsockServices: ReadonlyMap<number, FakeVsockServiceKind>;
  readonly vsockGuestConnectPorts: readonly number[];
  /** The exec agent's announced protocol version; the agent's own when absent. */
  readonly execProtocol: number | undefined;
  readonly journalPath: string | undefined;
  readonly metricsPeriodMs: number;
}

/** The boot marker line when `KINDLING_FAKE_BOOT_MARKER` is unset. */
export const DEFAULT_BOOT_MARKER = 'kindling-fake-guest: ready';

/** The guest's vsock listeners when `KINDLING_FAKE_VSOCK_SERVICES` is unset. */
export const DEFAULT_VSOCK_SERVICES: ReadonlyMap<number, FakeVsockServiceKind> = new Map([
  [5000, 'echo'],
  [8000, 'http'],
  [9000, 'grpc'],
  // The exec agent of @kindling/exec-agent, on its default port (EXEC_AGENT_PORT).
  [10_000, 'exec'],
]);

const EXIT_POINTS: readonly FakeExitPoint[] = [
  'startup',
  'before-instance-start',
  'snapshot-create',
  'snapshot-load',
  'after-requests',
];
const METHODS = new Set(['GET', 'PUT', 'PATCH', 'DELETE', '*']);
const SERVICE_KINDS = new Set<string>(['echo', 'http', 'grpc', 'exec']);
const DECIMAL = /^\d+$/u;

/** A `KINDLING_FAKE_*` value the fakes cannot parse (wrapped in `FakeVmmError` by `parseFakeEnv`). */
export class FakeEnvSwitchError extends Error {
  static {
    this.prototype.name = 'FakeEnvSwitchError';
  }
}

const fail = (name: string, value: string, expected: string): never => {
  throw new FakeEnvSwitchError(
    `${name}=${JSON.stringify(value)} is not valid: expected ${expected}.`,
  );
};

const parseCount = (name: string, text: string, whole: string, expected: string): number => {
  const value = DECIMAL.test(text) ? Number(text) : Number.NaN;
  return Number.isSafeInteger(value) ? value : fail(name, whole, expected);
};

const parseOutcome = (name: string, text: string, whole: string): FakeExitOutcome => {
  if (DECIMAL.test(text)) {
    const exitCode = Number(text);
    return exitCode <= 255 ? { exitCode } : fail(name, whole, 'an exit code from 0 to 255');
  }
  if (text in constants.signals) {
    return { signal: text as NodeJS.Signals };
  }
  return fail(name, whole, 'an outcome that is an exit code (0-255) or a signal name like SIGKILL');
};

/** Parses `KINDLING_FAKE_EXIT`: `<point>:<outcome>` rules separated by `;`. */
export const parseExitRules = (value: string): FakeExitRule[] => {
  const name = FAKE_ENV.exit;
  const expected = `rules "<point>:<outcome>" separated by ";", point one of ${EXIT_POINTS.join(', ')} (after-requests=<n>), outcome an exit code or a signal name`;
  return value
    .split(';')
    .filter((rule) => rule.trim() !== '')
    .map((rule): FakeExitRule => {
      const separator = rule.lastIndexOf(':');
      if (separator === -1) {
        return fail(name, value, expected);
      }
      const pointText = rule.slice(0, separator).trim();
      const outcome = parseOutcome(name, rule.slice(separator + 1).trim(), value);
      if (pointText.startsWith('after-requests=')) {
        const count = parseCount(name, pointText.slice('after-requests='.length), value, expected);
        return count > 0
          ? { point: 'after-requests', afterRequests: count, outcome }
          : fail(name, value, 'after-requests=<n> with n of at least 1');
      }
      const point = EXIT_POINTS.find((candidate) => candidate === pointText);
      return point === undefined || point === 'after-requests'
        ? fail(name, value, expected)
        : { point, outcome };
    });
};

const parseAction = (name: string, text: string, whole: string): FakeResponseAction => {
  if (text === 'stall' || text === 'drop') {
    return { kind: text };
  }
  if (text.startsWith('delay:')) {
    return {
      kind: 'delay',
      delayMs: parseCount(name, text.slice('delay:'.length), whole, 'delay:<ms>'),
    };
  }
  return fail(name, whole, 'an action delay:<ms>, stall or drop');
};

/** Parses `KINDLING_FAKE_RESPONSE_FAULTS`: `<METHOD> <path>=<action>[@<n>]` rules separated by `;`. */
export const parseResponseFaults = (value: string): FakeResponseFault[] => {
  const name = FAKE_ENV.responseFaults;
  const expected =
    'rules "<METHOD> <path>=<delay:<ms>|stall|drop>[@<n>]" separated by ";" (METHOD may be *, a path ending in * is a prefix)';
  return value
    .split(';')
    .filter((rule) => rule.trim() !== '')
    .map((rule): FakeResponseFault => {
      const equals = rule.indexOf('=');
      const [method = '', path = '', ...rest] =
        equals === -1 ? [] : rule.slice(0, equals).trim().split(/\s+/u);
      if (equals === -1 || !METHODS.has(method) || path === '' || rest.length > 0) {
        return fail(name, value, expected);
      }
      const [actionText = '', nthText] = rule
        .slice(equals + 1)
        .trim()
        .split('@');
      const action = parseAction(name, actionText, value);
      if (nthText === undefined) {
        return { method, path, action };
      }
      const nth = parseCount(name, nthText, value, '@<n> with n of at least 1');
      return nth > 0
        ? { method, path, action, nth }
        : fail(name, value, '@<n> with n of at least 1');
    });
};

/** Parses `KINDLING_FAKE_VSOCK_SERVICES`: `<port>=<echo|http|grpc|exec>` separated by `,`. */
export const parseVsockServices = (value: string): Map<number, FakeVsockServiceKind> => {
  const name = FAKE_ENV.vsockServices;
  const expected = 'entries "<port>=<echo|http|grpc|exec>" separated by ","';
  const services = new Map<number, FakeVsockServiceKind>();
  for (const entry of value.split(',')) {
    if (entry.trim() === '') {
      continue;
    }
    const [portText = '', kind = '', ...rest] = entry.trim().split('=');
    const port = parseCount(name, portText, value, expected);
    if (rest.length > 0 || !SERVICE_KINDS.has(kind) || port > 0xffff_ffff) {
      fail(name, value, expected);
    }
    services.set(port, kind as FakeVsockServiceKind);
  }
  return services;
};

const parsePorts = (name: string, value: string): number[] =>
  value
    .split(',')
    .filter((port) => port.trim() !== '')
    .map((port) => {
      const parsed = parseCount(name, port.trim(), value, 'vsock ports separated by ","');
      return parsed <= 0xffff_ffff ? parsed : fail(name, value, 'ports below 2^32');
    });

const parseCtrlAltDel = (value: string): FakeCtrlAltDel => {
  const name = FAKE_ENV.ctrlAltDel;
  if (value === 'ignore') {
    return { kind: 'ignore' };
  }
  if (value === 'reboot') {
    return { kind: 'reboot', delayMs: 0 };
  }
  if (value.startsWith('reboot:')) {
    const delayMs = parseCount(name, value.slice('reboot:'.length), value, 'reboot:<ms>');
    return { kind: 'reboot', delayMs };
  }
  return fail(name, value, 'reboot, reboot:<ms> or ignore');
};

const readMs = (env: NodeJS.ProcessEnv, name: string, fallback: number): number => {
  const value = env[name];
  return value === undefined || value === ''
    ? fallback
    : parseCount(name, value, value, 'a whole number of milliseconds');
};

const readText = (env: NodeJS.ProcessEnv, name: string): string | undefined => {
  const value = env[name];
  return value === undefined || value === '' ? undefined : value;
};

const readExecProtocol = (env: NodeJS.ProcessEnv): number | undefined => {
  const value = readText(env, FAKE_ENV.execProtocol);
  return value === undefined
    ? undefined
    : parseCount(FAKE_ENV.execProtocol, value, value, 'a protocol version (a whole number)');
};

/** Reads every `KINDLING_FAKE_*` switch, applying defaults; throws `FakeEnvSwitchError`. */
export const readFakeEnvSwitches = (env: NodeJS.ProcessEnv): FakeEnvConfig => {
  const services = env[FAKE_ENV.vsockServices];
  return {
    chrootDir: readText(env, FAKE_ENV.chroot),
    socketDelayMs: readMs(env, FAKE_ENV.socketDelayMs, 0),
    exitRules: parseExitRules(env[FAKE_ENV.exit] ?? ''),
    responseFaults: parseResponseFaults(env[FAKE_ENV.responseFaults] ?? ''),
    bootMarker: readText(env, FAKE_ENV.bootMarker) ?? DEFAULT_BOOT_MARKER,
    bootDelayMs: readMs(env, FAKE_ENV.bootDelayMs, 0),
    guestCrashMs:
      readText(env, FAKE_ENV.guestCrashMs) === undefined
        ? undefined
        : readMs(env, FAKE_ENV.guestCrashMs, 0),
    ctrlAltDel: parseCtrlAltDel(readText(env, FAKE_ENV.ctrlAltDel) ?? 'reboot'),
    vsockServices: services === undefined ? DEFAULT_VSOCK_SERVICES : parseVsockServices(services),
    vsockGuestConnectPorts: parsePorts(
      FAKE_ENV.vsockGuestConnect,
      env[FAKE_ENV.vsockGuestConnect] ?? '',
    ),
    execProtocol: readExecProtocol(env),
    journalPath: readText(env, FAKE_ENV.journal),
    metricsPeriodMs: readMs(env, FAKE_ENV.metricsPeriodMs, 60_000),
  };
};

/** Typed values for `formatFakeEnv`; every field is optional and maps to one variable. */
export interface FakeEnvOptions {
  readonly socketDelayMs?: number;
  readonly exitRules?: readonly FakeExitRule[];
  readonly responseFaults?: readonly FakeResponseFault[];
  readonly bootMarker?: string;
  readonly bootDelayMs?: number;
  readonly guestCrashMs?: number;
  readonly ctrlAltDel?: FakeCtrlAltDel;
  readonly vsockServices?: ReadonlyMap<number, FakeVsockServiceKind>;
  readonly vsockGuestConnectPorts?: readonly number[];
  readonly execProtocol?: number;
  readonly journalPath?: string;
  readonly metricsPeriodMs?: number;
}

const formatOutcome = (outcome: FakeExitOutcome): string =>
  outcome.signal ?? String(outcome.exitCode);

const formatAction = (action: FakeResponseAction): string =>
  action.kind === 'delay' ? `delay:${action.delayMs}` : action.kind;

/** Turns typed switches into the `KINDLING_FAKE_*` variables that `parseFakeEnv` reads back. */
export const formatFakeEnv = (options: FakeEnvOptions): Record<string, string> => {
  const env: Record<string, string> = {};
  if (options.socketDelayMs !== undefined) {
    env[FAKE_ENV.socketDelayMs] = String(options.socketDelayMs);
  }
  if (options.exitRules !== undefined) {
    env[FAKE_ENV.exit] = options.exitRules
      .map(
        (rule) =>
          `${rule.point === 'after-requests' ? `after-requests=${rule.afterRequests ?? 1}` : rule.point}:${formatOutcome(rule.outcome)}`,
      )
      .join(';');
  }
  if (options.responseFaults !== undefined) {
    env[FAKE_ENV.responseFaults] = options.responseFaults
      .map(
        (fault) =>
          `${fault.method} ${fault.path}=${formatAction(fault.action)}${fault.nth === undefined ? '' : `@${fault.nth}`}`,
      )
      .join(';');
  }
  if (options.bootMarker !== undefined) {
    env[FAKE_ENV.bootMarker] = options.bootMarker;
  }
  if (options.bootDelayMs !== undefined) {
    env[FAKE_ENV.bootDelayMs] = String(options.bootDelayMs);
  }
  if (options.guestCrashMs !== undefined) {
    env[FAKE_ENV.guestCrashMs] = String(options.guestCrashMs);
  }
  if (options.ctrlAltDel !== undefined) {
    env[FAKE_ENV.ctrlAltDel] =
      options.ctrlAltDel.kind === 'ignore' ? 'ignore' : `reboot:${options.ctrlAltDel.delayMs}`;
  }
  if (options.vsockServices !== undefined) {
    env[FAKE_ENV.vsockServices] = [...options.vsockServices]
      .map(([port, kind]) => `${port}=${kind}`)
      .join(',');
  }
  if (options.vsockGuestConnectPorts !== undefined) {
    env[FAKE_ENV.vsockGuestConnect] = options.vsockGuestConnectPorts.join(',');
  }
  if (options.execProtocol !== undefined) {
    env[FAKE_ENV.execProtocol] = String(options.execProtocol);
  }
  if (options.journalPath !== undefined) {
    env[FAKE_ENV.journal] = options.journalPath;
  }
  if (options.metricsPeriodMs !== undefined) {
    env[FAKE_ENV.metricsPeriodMs] = String(options.metricsPeriodMs);
  }
  return env;
};
