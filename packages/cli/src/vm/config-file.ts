// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { readFile } from 'node:fs/promises';
import type { VmConfigurationItems } from '@kindling/vm';
import { CliError } from '../errors.js';

// Firecracker's config-file sections (kebab-case) and the Kindling items they are.
const SECTIONS: Readonly<Record<string, keyof VmConfigurationItems>> = {
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

/**
 * Reads a Firecracker `--config-file` document (the JSON Firecracker takes, kebab-case sections)
 * as Kindling's configuration items; `Vm.prepare` then validates every value.
 */
export const readConfigFile = async (file: string): Promise<VmConfigurationItems> => {
  let document: unknown;
  try {
    document = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    throw new CliError(
      'ERR_INVALID_INPUT',
      `--config ${file}: ${(error as Error).message}; give a Firecracker config file (JSON)`,
      { cause: error },
    );
  }
  if (typeof document !== 'object' || document === null || Array.isArray(document)) {
    throw new CliError('ERR_INVALID_INPUT', `--config ${file}: expected a JSON object`);
  }
  const items: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(document)) {
    // Own keys only: "__proto__" or "constructor" would find Object.prototype's members.
    const item = Object.hasOwn(SECTIONS, key) ? SECTIONS[key] : undefined;
    if (item === undefined) {
      throw new CliError(
        'ERR_INVALID_INPUT',
        `--config ${file}: unknown section "${key}"; Firecracker's sections are ${Object.keys(SECTIONS).join(', ')}`,
      );
    }
    items[item] = value;
  }
  return items as unknown as VmConfigurationItems;
};
