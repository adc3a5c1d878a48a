// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { readFile } from 'node:fs/promises';
import path from 'node:path';
import {
  vmConfigurationRequestSchema,
  type ExecutorRequest,
  type VmConfigurationRequest,
  type VmSourceRequest,
} from '@kindling/client';
import { JailedExecutor, UnrestrictedExecutor, type VmmExecutor } from '@kindling/executor';
import { Vm, type VmConfiguration } from '@kindling/vm';
import {
  JailerArguments,
  VmmArguments,
  type OwnershipModel,
  type VmmInstallation,
} from '@kindling/vmm-core';
import { ServerError } from './errors.js';
import { resolveAllowedPath } from './host-paths.js';
import type { ResolvedServerConfig } from './server-config.js';
import { CONFIG_FILE_ITEMS, resolveConfigurationPaths } from './vm-paths.js';

/** What making a VM needs of the server. */
export interface VmFactoryContext {
  readonly config: ResolvedServerConfig;
  readonly installation: VmmInstallation;
}

/** Where one VM's files go. */
export interface VmPlace {
  readonly id: string;
  /** `<state>/vms/<id>`: its record, socket, metrics FIFO and config file. */
  readonly folder: string;
  /** Its `VmmProcess` records, for `reconcile()`. */
  readonly processStateDir: string;
}

// Unix socket paths are limited to 108 bytes (sun_path); past that the SDK picks its own.
const MAX_SOCKET_PATH = 100;

const badInput = (field: string, message: string, cause?: unknown): ServerError =>
  new ServerError('ERR_INVALID_INPUT', `${field}: ${message}`, { field, cause });

// A Firecracker config file's document as the camelCase items `Vm.prepare` takes.
const readConfigFile = async (file: string, field: string): Promise<VmConfigurationRequest> => {
  let document: unknown;
  try {
    document = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    throw badInput(
      field,
      `could not read a JSON config file at ${file}: ${(error as Error).message}`,
      error,
    );
  }
  if (typeof document !== 'object' || document === null || Array.isArray(document)) {
    throw badInput(field, `${file} is not a JSON object of Firecracker's config-file keys`);
  }
  const items: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(document)) {
    const item = CONFIG_FILE_ITEMS[key];
    if (item === undefined) {
      throw badInput(
        `${field}#${key}`,
        `unknown config-file key in ${file}; expected one of ${Object.keys(CONFIG_FILE_ITEMS).join(', ')}`,
      );
    }
    // Firecracker's config file writes `drives: []` when there are none.
    if (!(Array.isArray(value) && value.length === 0)) {
      items[item] = value;
    }
  }
  const parsed = vmConfigurationRequestSchema.safeParse(items);
  if (!parsed.success) {
    throw badInput(
      field,
      `${file}: ${parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ')}`,
    );
  }
  return parsed.data;
};

const buildConfiguration = async (
  context: VmFactoryContext,
  source: VmSourceRequest,
  place: VmPlace,
): Promise<{ configuration: VmConfiguration; metricsPath: string | undefined }> => {
  const folders = context.config;
  // Metrics go to a FIFO in the VM's folder unless the caller chose a path: the server exports them.
  const withMetrics = (items: VmConfigurationRequest) =>
    items.metrics === undefined
      ? {
          items: { ...items, metrics: { metrics_path: path.join(place.folder, 'metrics.fifo') } },
          fifo: true,
        }
      : { items, fifo: false };
  if (source.kind === 'config') {
    const resolved = await resolveConfigurationPaths(
      source.configuration,
      folders,
      place.folder,
      'body.source.configuration',
    );
    const { items, fifo } = withMetrics(resolved);
    return {
      configuration: { kind: 'new-via-api', ...items, fifos: { metrics: fifo } },
      metricsPath: items.metrics?.metrics_path,
    };
  }
  if (source.kind === 'config-file') {
    const field = 'body.source.path';
    const file = await resolveAllowedPath(folders, field, source.path, folders.imagesDir);
    const read = await readConfigFile(file, field);
    const resolved = await resolveConfigurationPaths(read, folders, place.folder, field);
    // Kindling waits for Firecracker's "built the VM" line on stdout or in the log; stdout is
    // not ours (a VM outlives this process's pipes), so the VM gets a log in its folder.
    const logged: VmConfigurationRequest =
      resolved.logger === undefined
        ? {
            ...resolved,
            logger: { log_path: path.join(place.folder, 'firecracker.log'), level: 'Info' },
          }
        : resolved;
    // A metrics file, not a FIFO: Firecracker opens it before its API is up.
    const { items } = withMetrics(logged);
    const { mmds: _mmds, serial: _serial, ...fileItems } = items;
    return {
      configuration: {
        kind: 'new-via-config-file',
        ...fileItems,
        configFilePath: path.join(place.folder, 'firecracker-config.json'),
        fifos: { metrics: false },
      },
      metricsPath: items.metrics?.metrics_path,
    };
  }
  const base = path.join(folders.stateDir, 'snapshots');
  const snapshotPath = await resolveAllowedPath(
    folders,
    'body.source.snapshotPath',
    source.snapshotPath,
    base,
  );
  const memoryPath = await resolveAllowedPath(
    folders,
    'body.source.memoryPath',
    source.memoryPath,
    base,
  );
  const metricsPath = path.join(place.folder, 'metrics.fifo');
  return {
    configuration: {
      kind: 'restored-from-snapshot',
      snapshotPath,
      memBackend: { type: 'file', path: memoryPath },
      resume: source.resume ?? true,
      ...(source.networkOverrides === undefined
        ? {}
        : { networkOverrides: source.networkOverrides }),
      metrics: { metrics_path: metricsPath },
      fifos: { metrics: true },
    },
    metricsPath,
  };
};

const buildExecutor = (
  context: VmFactoryContext,
  executor: ExecutorRequest,
  place: VmPlace,
): { executor: VmmExecutor; ownership: OwnershipModel } => {
  if (executor.kind === 'unrestricted') {
    const socket = path.join(place.folder, 'api.sock');
    return {
      // stdio ignored: a VM outlives this server process, so nothing may tie it to our pipes.
      executor: new UnrestrictedExecutor({
        vmmArguments: new VmmArguments(
          socket.length <= MAX_SOCKET_PATH ? { id: place.id, apiSocket: socket } : { id: place.id },
        ),
        stdio: 'ignore',
      }),
      ownership: { kind: 'shared' },
    };
  }
  const jailer = context.config.jailer;
  return {
    executor: new JailedExecutor({
      vmmArguments: new VmmArguments({}),
      jailerArguments: new JailerArguments({
        id: place.id,
        execFile: context.installation.firecrackerPath,
        uid: executor.uid,
        gid: executor.gid,
        chrootBaseDir: jailer.chrootBaseDir ?? path.join(context.config.stateDir, 'jail'),
        daemonize: true,
        newPidNs: true,
        ...(executor.cgroup === undefined ? {} : { cgroups: executor.cgroup }),
        ...(jailer.cgroupVersion === undefined ? {} : { cgroupVersion: jailer.cgroupVersion }),
        ...(jailer.parentCgroup === undefined ? {} : { parentCgroup: jailer.parentCgroup }),
      }),
      stdio: 'ignore',
    }),
    ownership: { kind: 'downgraded', uid: executor.uid, gid: executor.gid },
  };
};

/**
 * Prepares (does not start) a VM from a create request's source and executor: host paths
 * checked against the allowed folders, the VM's records in its own folder, Firecracker left
 * running when this server process goes (the server, not a signal, decides a VM's end).
 */
export const prepareVm = async (
  context: VmFactoryContext,
  source: VmSourceRequest,
  executorBody: ExecutorRequest,
  place: VmPlace,
  signal: AbortSignal,
): Promise<{ vm: Vm; metricsPath: string | undefined }> => {
  const { configuration, metricsPath } = await buildConfiguration(context, source, place);
  const { executor, ownership } = buildExecutor(context, executorBody, place);
  const socketWaitTimeoutMs = context.config.limits.socketWaitTimeoutMs;
  const vm = await Vm.prepare({
    executor,
    installation: context.installation,
    configuration,
    ownership,
    stateDir: place.processStateDir,
    killOnSignal: false,
    ...(socketWaitTimeoutMs === undefined ? {} : { socketWaitTimeoutMs }),
    signal,
  });
  return { vm, metricsPath };
};
