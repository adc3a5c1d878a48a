// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { UnrestrictedExecutor, type VmmExecutor } from '@kindling/executor';
import type { ProcessSpawner } from '@kindling/spawner';
import { DirectSpawner, isKindlingError } from '@kindling/spawner';
import {
  VmmArguments,
  parseOwnershipModel,
  type MoveMethod,
  type ResourceSystem,
  type OwnershipModel,
  type VmmInstallation,
} from '@kindling/vmm-core';
import type { ResolvedVmConfiguration, VmConfiguration } from './configuration.js';
import { VmError } from './errors.js';
import {
  checkOptionObject,
  checkSignal,
  checkTimeoutMs,
  failInput,
  hasMethods,
} from './input-checks.js';
import { parseVmConfiguration } from './parse-configuration.js';
import type { VmLogger } from './send-api-call.js';
import { parseVmProfile, type ResolvedVmProfile, type VmProfile } from './vm-profile.js';
import {
  DEFAULT_SHUTDOWN_ACTIONS,
  resolveShutdownActions,
  type ResolvedShutdownAction,
  type ShutdownAction,
} from './shutdown.js';

/** What `Vm.prepare` takes. */
export interface VmPrepareOptions {
  /**
   * How Firecracker runs: an `UnrestrictedExecutor` or a `JailedExecutor`. Default: an
   * `UnrestrictedExecutor` of `new VmmArguments()`, so a unique id and a private API socket.
   */
  readonly executor?: VmmExecutor;
  /** The Firecracker (and jailer) binaries. */
  readonly installation: VmmInstallation;
  /** What the VM is made of: new through API calls, new from a config file, or restored. */
  readonly configuration: VmConfiguration;
  /** Runs Firecracker or the jailer, and `mkfifo` (default a `DirectSpawner`). */
  readonly spawner?: ProcessSpawner;
  /** Runs `chown -R` for the `upgraded-*` ownership models (a `SudoSpawner` or `SuSpawner`). */
  readonly elevatedSpawner?: ProcessSpawner;
  /** Whose files the VM's are (default `{ kind: 'shared' }`; a jailer's uid/gid: `downgraded`). */
  readonly ownership?: OwnershipModel;
  /**
   * The resource system to put the VM's files in, with its ownership model: give one when the
   * executor's `VmmArguments` carry resources of it (`logPath`, `metricsPath`, `metadata`).
   * Default: a new one with `ownership`, `spawner` and `elevatedSpawner`.
   */
  readonly resourceSystem?: ResourceSystem;
  /** How kernel, initrd, drives, pmem and snapshot files reach a jail (default `hard-link-or-copy`). */
  readonly moveMethod?: MoveMethod;
  /** How long `start()` waits for the API socket (default 5 000 ms). */
  readonly socketWaitTimeoutMs?: number;
  /** The default timeout of each API call (default 10 000 ms). */
  readonly apiTimeoutMs?: number;
  /** Where the running process is recorded for `reconcile()`, or `false` (see `VmmProcess`). */
  readonly stateDir?: string | false;
  /** What `shutdown()` without arguments and disposal do (default Ctrl+Alt+Del, then kill). */
  readonly shutdownActions?: readonly ShutdownAction[];
  /** Receives warnings, e.g. for a request Firecracker flags as deprecated. */
  readonly logger?: VmLogger;
  /**
   * Whether SIGINT, SIGTERM or SIGHUP kills Firecracker at once even when the program handles the
   * signal itself (default `true`). With `false` the program's handler shuts the VM down (say, a
   * snapshot first); Firecracker is still killed when Node exits, and at once when nothing else
   * handles the signal.
   */
  readonly killOnSignal?: boolean;
  /**
   * What the VM may use and reach: resource limits (needs a `JailedExecutor`), the folders its
   * files may come from, whether it has a network, its rate limiters. A request outside it fails
   * with `ERR_PROFILE_VIOLATION` before anything is started or written.
   */
  readonly profile?: VmProfile;
  /** Aborting stops the preparation, undoing what it did. */
  readonly signal?: AbortSignal;
}

/** `VmPrepareOptions` after validation and defaults. */
export interface ResolvedVmPrepareOptions {
  readonly executor: VmmExecutor;
  readonly installation: VmmInstallation;
  readonly configuration: ResolvedVmConfiguration;
  readonly spawner: ProcessSpawner;
  readonly elevatedSpawner: ProcessSpawner | undefined;
  readonly ownership: OwnershipModel;
  readonly resourceSystem: ResourceSystem | undefined;
  readonly moveMethod: MoveMethod;
  readonly socketWaitTimeoutMs: number | undefined;
  readonly apiTimeoutMs: number | undefined;
  readonly stateDir: string | false | undefined;
  readonly shutdownActions: readonly ResolvedShutdownAction[];
  readonly logger: VmLogger | undefined;
  readonly killOnSignal: boolean | undefined;
  readonly profile: ResolvedVmProfile | undefined;
  readonly signal: AbortSignal | undefined;
}

const CODE = 'ERR_INVALID_INPUT';
const MOVE_METHODS: readonly MoveMethod[] = [
  'copy',
  'hard-link',
  'copy-or-hard-link',
  'hard-link-or-copy',
  'rename',
];

/** The option names of `Vm.prepare`, for unknown-option checks. */
export const PREPARE_OPTION_KEYS = [
  'executor',
  'installation',
  'configuration',
  'spawner',
  'elevatedSpawner',
  'ownership',
  'resourceSystem',
  'moveMethod',
  'socketWaitTimeoutMs',
  'apiTimeoutMs',
  'stateDir',
  'shutdownActions',
  'logger',
  'killOnSignal',
  'profile',
  'signal',
] as const;

const checkSpawner = (value: unknown, subject: string): ProcessSpawner | undefined =>
  value === undefined || hasMethods(value, ['spawn'])
    ? (value as ProcessSpawner | undefined)
    : failInput(CODE, subject, 'expected a ProcessSpawner (an object with a spawn method)', value);

const checkOwnership = (value: unknown): OwnershipModel => {
  if (value === undefined) {
    return { kind: 'shared' };
  }
  try {
    return parseOwnershipModel(value, 'options.ownership');
  } catch (error) {
    if (isKindlingError(error)) {
      throw new VmError(CODE, error.message, { cause: error });
    }
    throw error;
  }
};

/**
 * Validates `Vm.prepare`'s options (and the configuration, with `ERR_INVALID_INPUT`)
 * and applies their defaults; an unknown or bad option throws `ERR_INVALID_INPUT` naming it.
 */
export const resolveVmPrepareOptions = (value: unknown): ResolvedVmPrepareOptions => {
  const options = checkOptionObject(value, PREPARE_OPTION_KEYS, 'options', CODE);
  const executor =
    options['executor'] ?? new UnrestrictedExecutor({ vmmArguments: new VmmArguments() });
  if (
    !hasMethods(executor, ['getSocketPath', 'resolveEffectivePath', 'prepare', 'invoke', 'cleanup'])
  ) {
    failInput(
      CODE,
      'options.executor',
      'expected a VmmExecutor (an UnrestrictedExecutor or a JailedExecutor)',
      executor,
    );
  }
  const installation = options['installation'];
  if (
    typeof (installation as { firecrackerPath?: unknown } | undefined)?.firecrackerPath !== 'string'
  ) {
    failInput(CODE, 'options.installation', 'expected a VmmInstallation', installation);
  }
  const moveMethod = options['moveMethod'] ?? 'hard-link-or-copy';
  if (!MOVE_METHODS.includes(moveMethod as MoveMethod)) {
    failInput(CODE, 'options.moveMethod', `expected one of ${MOVE_METHODS.join(', ')}`, moveMethod);
  }
  const stateDir = options['stateDir'];
  if (
    stateDir !== undefined &&
    stateDir !== false &&
    (typeof stateDir !== 'string' || stateDir === '')
  ) {
    failInput(CODE, 'options.stateDir', 'expected a folder path or false', stateDir);
  }
  const logger = options['logger'];
  if (logger !== undefined && !hasMethods(logger, ['debug', 'info', 'warn', 'error'])) {
    failInput(
      CODE,
      'options.logger',
      'expected a logger with debug, info, warn and error methods',
      logger,
    );
  }
  const killOnSignal = options['killOnSignal'];
  if (killOnSignal !== undefined && typeof killOnSignal !== 'boolean') {
    failInput(CODE, 'options.killOnSignal', 'expected a boolean', killOnSignal);
  }
  const resourceSystem = options['resourceSystem'];
  if (
    resourceSystem !== undefined &&
    !hasMethods(resourceSystem, ['createResource', 'initialize', 'initializeAll', 'disposeAll'])
  ) {
    failInput(CODE, 'options.resourceSystem', 'expected a ResourceSystem', resourceSystem);
  }
  if (resourceSystem !== undefined && options['ownership'] !== undefined) {
    failInput(
      CODE,
      'options.ownership',
      'cannot be set with options.resourceSystem, whose ownership model applies: give it to the ResourceSystem',
      options['ownership'],
    );
  }
  return {
    executor: executor as VmmExecutor,
    installation: installation as VmmInstallation,
    configuration: parseVmConfiguration(options['configuration'], 'configuration'),
    spawner: checkSpawner(options['spawner'], 'options.spawner') ?? new DirectSpawner(),
    elevatedSpawner: checkSpawner(options['elevatedSpawner'], 'options.elevatedSpawner'),
    ownership:
      (resourceSystem as ResourceSystem | undefined)?.ownership ??
      checkOwnership(options['ownership']),
    resourceSystem: resourceSystem as ResourceSystem | undefined,
    moveMethod: moveMethod as MoveMethod,
    socketWaitTimeoutMs: checkTimeoutMs(
      options['socketWaitTimeoutMs'],
      'options.socketWaitTimeoutMs',
    ),
    apiTimeoutMs: checkTimeoutMs(options['apiTimeoutMs'], 'options.apiTimeoutMs'),
    stateDir: stateDir as string | false | undefined,
    shutdownActions: resolveShutdownActions(
      options['shutdownActions'] ?? DEFAULT_SHUTDOWN_ACTIONS,
      'options.shutdownActions',
    ),
    logger: logger as VmLogger | undefined,
    killOnSignal: killOnSignal as boolean | undefined,
    profile: options['profile'] === undefined ? undefined : parseVmProfile(options['profile']),
    signal: checkSignal(options['signal'], 'options.signal'),
  };
};
