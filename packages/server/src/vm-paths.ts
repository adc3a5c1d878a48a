// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import type { VmConfigurationRequest } from '@kindling/client';
import { resolveAllowedPath, type AllowedFolders } from './host-paths.js';

type Item = Record<string, unknown>;

/** The host paths of a new VM's items: which item, which key, and what a relative one is under. */
const PATH_FIELDS: readonly {
  readonly item: keyof VmConfigurationRequest;
  readonly key: string;
  /** `images`: a file the VM reads; `vm`: a file the VM makes (under its own folder). */
  readonly base: 'images' | 'vm';
}[] = [
  { item: 'bootSource', key: 'kernel_image_path', base: 'images' },
  { item: 'bootSource', key: 'initrd_path', base: 'images' },
  { item: 'drives', key: 'path_on_host', base: 'images' },
  { item: 'pmem', key: 'path_on_host', base: 'images' },
  { item: 'logger', key: 'log_path', base: 'vm' },
  { item: 'metrics', key: 'metrics_path', base: 'vm' },
  { item: 'serial', key: 'serial_out_path', base: 'vm' },
  { item: 'vsock', key: 'uds_path', base: 'vm' },
];

/**
 * Checks every host path of a configuration and returns it with each resolved: a relative path is
 * under the images folder (files the VM reads) or the VM's own folder (files it makes); any path
 * must lie in the images or the state folder (`ERR_INVALID_INPUT` naming the field otherwise).
 */
export const resolveConfigurationPaths = async (
  configuration: VmConfigurationRequest,
  folders: AllowedFolders,
  vmFolder: string,
  subject: string,
): Promise<VmConfigurationRequest> => {
  const resolved: Record<string, unknown> = { ...configuration };
  for (const { item, key, base } of PATH_FIELDS) {
    const value = resolved[item];
    if (value === undefined) {
      continue;
    }
    const baseDir = base === 'images' ? folders.imagesDir : vmFolder;
    const resolveIn = async (entry: Item, field: string): Promise<Item> => {
      const given = entry[key];
      if (typeof given !== 'string') {
        return entry;
      }
      return { ...entry, [key]: await resolveAllowedPath(folders, field, given, baseDir) };
    };
    resolved[item] = Array.isArray(value)
      ? await Promise.all(
          value.map((entry: Item, index) =>
            resolveIn(entry, `${subject}.${item}[${index}].${key}`),
          ),
        )
      : await resolveIn(value as Item, `${subject}.${item}.${key}`);
  }
  return resolved as VmConfigurationRequest;
};

/** A Firecracker config file's keys as `@kindling/vm`'s configuration names them. */
export const CONFIG_FILE_ITEMS: Readonly<Record<string, keyof VmConfigurationRequest>> = {
  'boot-source': 'bootSource',
  drives: 'drives',
  pmem: 'pmem',
  'machine-config': 'machineConfig',
  'cpu-config': 'cpuConfig',
  'network-interfaces': 'networkInterfaces',
  balloon: 'balloon',
  vsock: 'vsock',
  logger: 'logger',
  metrics: 'metrics',
  'memory-hotplug': 'memoryHotplug',
  'mmds-config': 'mmdsConfig',
  entropy: 'entropy',
};
