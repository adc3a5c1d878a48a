// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import type { MoveMethod, ResourceType } from '@kindling/vmm-core';
import type {
  ResolvedVmConfiguration,
  RestoredVmConfiguration,
  SnapshotMemoryBackend,
  VmConfigurationItems,
  VmFifoOptions,
} from './configuration.js';

/** A path in a configuration that is a resource: which field, the path, and its type. */
export interface ConfigurationFile {
  /** Where the path sits in the configuration, e.g. `drives[0].path_on_host`. */
  readonly field: string;
  /** The path as the configuration gives it. */
  readonly path: string;
  readonly type: ResourceType;
}

/** Gives the path to put in place of a resource's path (its virtual path, once prepared). */
export type ConfigurationFileMapper = (file: ConfigurationFile) => string;

// serde reads an omitted field and `null` alike.
const isGiven = <Value>(value: Value | null | undefined): value is Value =>
  value !== undefined && value !== null;

const PRODUCED: ResourceType = { kind: 'produced' };
// A Unix socket cannot be copied; a hard link to it connects to the same listener.
const SOCKET_LINK: ResourceType = { kind: 'moved', method: 'hard-link' };

const created = (fifo: boolean | undefined): ResourceType => ({
  kind: 'created',
  fileType: fifo === true ? 'fifo' : 'file',
});

type Items = Partial<VmConfigurationItems>;

// The output items every kind of configuration may carry: log, metrics and serial output.
const mapOutputs = (
  items: Items,
  fifos: VmFifoOptions | undefined,
  map: ConfigurationFileMapper,
): Items => {
  const result: { -readonly [Key in keyof Items]: Items[Key] } = {};
  const logPath = items.logger?.log_path;
  if (items.logger !== undefined && isGiven(logPath)) {
    const path = logPath;
    result.logger = {
      ...items.logger,
      log_path: map({ field: 'logger.log_path', path, type: created(fifos?.logger) }),
    };
  }
  if (items.metrics !== undefined) {
    const { metrics_path: path } = items.metrics;
    result.metrics = {
      ...items.metrics,
      metrics_path: map({ field: 'metrics.metrics_path', path, type: created(fifos?.metrics) }),
    };
  }
  const serialPath = items.serial?.serial_out_path;
  if (items.serial !== undefined && isGiven(serialPath)) {
    const path = serialPath;
    result.serial = {
      ...items.serial,
      serial_out_path: map({
        field: 'serial.serial_out_path',
        path,
        type: created(fifos?.serial),
      }),
    };
  }
  return result;
};

const mapNewItems = (
  items: Items & { readonly bootSource: VmConfigurationItems['bootSource'] },
  moved: ResourceType,
  map: ConfigurationFileMapper,
): Items => {
  const { bootSource } = items;
  const result: { -readonly [Key in keyof Items]: Items[Key] } = {
    bootSource: {
      ...bootSource,
      kernel_image_path: map({
        field: 'bootSource.kernel_image_path',
        path: bootSource.kernel_image_path,
        type: moved,
      }),
      ...(isGiven(bootSource.initrd_path)
        ? {
            initrd_path: map({
              field: 'bootSource.initrd_path',
              path: bootSource.initrd_path,
              type: moved,
            }),
          }
        : {}),
    },
  };
  if (items.drives !== undefined) {
    result.drives = items.drives.map((drive, index) =>
      isGiven(drive.path_on_host)
        ? {
            ...drive,
            path_on_host: map({
              field: `drives[${index}].path_on_host`,
              path: drive.path_on_host,
              type: moved,
            }),
          }
        : drive,
    );
  }
  if (items.pmem !== undefined) {
    result.pmem = items.pmem.map((device, index) => ({
      ...device,
      path_on_host: map({
        field: `pmem[${index}].path_on_host`,
        path: device.path_on_host,
        type: moved,
      }),
    }));
  }
  if (items.vsock !== undefined) {
    result.vsock = {
      ...items.vsock,
      uds_path: map({ field: 'vsock.uds_path', path: items.vsock.uds_path, type: PRODUCED }),
    };
  }
  return result;
};

const mapMemoryBackend = (
  backend: SnapshotMemoryBackend,
  moved: ResourceType,
  map: ConfigurationFileMapper,
): SnapshotMemoryBackend =>
  backend.type === 'file'
    ? { type: 'file', path: map({ field: 'memBackend.path', path: backend.path, type: moved }) }
    : {
        type: 'uffd',
        socketPath: map({
          field: 'memBackend.socketPath',
          path: backend.socketPath,
          type: SOCKET_LINK,
        }),
      };

const mapRestored = (
  configuration: RestoredVmConfiguration,
  moved: ResourceType,
  map: ConfigurationFileMapper,
): RestoredVmConfiguration => {
  const { vsockOverride, deviceFiles, snapshotVsockPath } = configuration;
  return {
    ...configuration,
    ...mapOutputs(configuration, configuration.fifos, map),
    snapshotPath: map({ field: 'snapshotPath', path: configuration.snapshotPath, type: moved }),
    memBackend: mapMemoryBackend(configuration.memBackend, moved, map),
    ...(deviceFiles === undefined
      ? {}
      : {
          deviceFiles: deviceFiles.map((file, index) => {
            const hostPath = map({
              field: `deviceFiles[${index}].hostPath`,
              path: file.hostPath,
              type: moved,
            });
            return file.virtualPath === undefined
              ? { hostPath }
              : { hostPath, virtualPath: file.virtualPath };
          }),
        }),
    ...(vsockOverride === undefined
      ? {}
      : {
          vsockOverride: {
            ...vsockOverride,
            uds_path: map({
              field: 'vsockOverride.uds_path',
              path: vsockOverride.uds_path,
              type: PRODUCED,
            }),
          },
        }),
    // Without an override Firecracker binds the recorded path, so that one is produced.
    ...(snapshotVsockPath === undefined || vsockOverride !== undefined
      ? {}
      : {
          snapshotVsockPath: map({
            field: 'snapshotVsockPath',
            path: snapshotVsockPath,
            type: PRODUCED,
          }),
        }),
  };
};

/**
 * Returns the configuration with every resource path replaced by `map`'s answer. Kernel, initrd,
 * drive, pmem, snapshot state, memory and device files are moved (with `moveMethod`); log,
 * metrics and serial outputs and the config file are created (a FIFO where `fifos` says so); the
 * vsock sockets are produced by Firecracker; a userfaultfd socket is hard-linked.
 */
export const mapConfigurationFiles = (
  configuration: ResolvedVmConfiguration,
  moveMethod: MoveMethod,
  map: ConfigurationFileMapper,
): ResolvedVmConfiguration => {
  const moved: ResourceType = { kind: 'moved', method: moveMethod };
  if (configuration.kind === 'restored-from-snapshot') {
    return mapRestored(configuration, moved, map);
  }
  const items = {
    ...mapNewItems(configuration, moved, map),
    ...mapOutputs(configuration, configuration.fifos, map),
  };
  if (configuration.kind === 'new-via-api') {
    return { ...configuration, ...items };
  }
  return {
    ...configuration,
    ...items,
    configFilePath: map({
      field: 'configFilePath',
      path: configuration.configFilePath,
      type: created(false),
    }),
  };
};

/** Lists the resource paths of a configuration, in `mapConfigurationFiles` order. */
export const listConfigurationFiles = (
  configuration: ResolvedVmConfiguration,
  moveMethod: MoveMethod,
): ConfigurationFile[] => {
  const files: ConfigurationFile[] = [];
  mapConfigurationFiles(configuration, moveMethod, (file) => {
    files.push(file);
    return file.path;
  });
  return files;
};
