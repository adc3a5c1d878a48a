// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import type { VmmConfigFile } from '@kindling/vmm-core';
import type { VmConfigurationItems } from './configuration.js';

/**
 * The config-file keys of the configuration items, in the order Firecracker applies them.
 * Firecracker has no config-file key for `serial` or `mmds`.
 */
export const CONFIG_FILE_KEYS = [
  ['logger', 'logger'],
  ['metrics', 'metrics'],
  ['machineConfig', 'machine-config'],
  ['cpuConfig', 'cpu-config'],
  ['bootSource', 'boot-source'],
  ['drives', 'drives'],
  ['networkInterfaces', 'network-interfaces'],
  ['vsock', 'vsock'],
  ['balloon', 'balloon'],
  ['mmdsConfig', 'mmds-config'],
  ['entropy', 'entropy'],
  ['pmem', 'pmem'],
  ['memoryHotplug', 'memory-hotplug'],
] as const satisfies readonly (readonly [keyof VmConfigurationItems, keyof VmmConfigFile])[];

/**
 * Builds the `--config-file` document of a configuration: kebab-case keys at the top level and
 * Firecracker's bodies inside, unset items omitted rather than `null` (fctools writes `null`),
 * and `drives` always present because Firecracker requires it. Paths are taken as given, so pass
 * a configuration whose paths are already the ones Firecracker sees.
 */
export const buildConfigFileDocument = (
  items: Omit<VmConfigurationItems, 'serial' | 'mmds'>,
): VmmConfigFile => {
  const document: Record<string, unknown> = {};
  for (const [item, key] of CONFIG_FILE_KEYS) {
    const value = items[item];
    if (value !== undefined && value !== null) {
      document[key] = value;
    }
  }
  document['drives'] ??= [];
  return document as VmmConfigFile;
};
