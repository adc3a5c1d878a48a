// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { readFileSync } from 'node:fs';
import { VMM_CONFIG } from './api-models.js';
import { deserializeBody } from './serde/deserialize.js';
import { JsonReader } from './serde/json-reader.js';
import { parseJsonValue, type JsonValue } from './serde/json-value.js';
import { SerdeError } from './serde/serde-error.js';
import {
  configFileFailure,
  fileFailure,
  invalidJsonFailure,
  type BuildFromJsonFailure,
} from './config-file-failure.js';
import type { FakeVmm } from './vmm/fake-vmm.js';
import type { Body, VmmAction } from './vmm/vmm-action.js';

/** Why a `--config-file` boot failed: Firecracker's `BuildFromJsonError`. */
export class ConfigFileError extends Error {
  static {
    this.prototype.name = 'ConfigFileError';
  }

  /** The error's `Debug` form, as `main` prints it on stderr. */
  readonly debug: string;

  constructor(failure: BuildFromJsonFailure) {
    super(failure.display);
    this.debug = failure.debug;
  }
}

const invalidJson = (error: SerdeError): ConfigFileError =>
  new ConfigFileError(invalidJsonFailure(error.message, error.line, error.column));

const parseJson = (text: string): JsonValue => {
  const reader = new JsonReader(Buffer.from(text));
  try {
    const value = parseJsonValue(reader);
    reader.end();
    return value;
  } catch (error) {
    throw error instanceof SerdeError ? invalidJson(error) : error;
  }
};

const readCpuTemplate = (path: string): string => {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigFileError(fileFailure(error));
  }
};

/**
 * Boots from a `--config-file` document as `build_microvm_from_json` does: sections applied in
 * Firecracker's order (`--metadata` between balloon and mmds-config), then `InstanceStart`.
 */
export const bootFromConfigFile = async (
  vmm: FakeVmm,
  text: string,
  metadata: string | undefined,
  resolvePath: (path: string) => string,
): Promise<void> => {
  const result = deserializeBody<Body>(VMM_CONFIG, Buffer.from(text));
  if (!result.ok) {
    throw invalidJson(result.error);
  }
  const config = result.value;
  const list = (key: string): Body[] => (config[key] as Body[] | undefined) ?? [];
  const one = (key: string): Body | undefined =>
    (config[key] as Body | null | undefined) ?? undefined;
  const apply = async (action: VmmAction): Promise<void> => {
    const outcome = await vmm.handle(action);
    if (outcome !== 'exit' && outcome.status !== 200 && outcome.status !== 204) {
      throw new ConfigFileError(configFileFailure(outcome.fault));
    }
  };
  const logger = one('logger');
  if (logger !== undefined) {
    await apply({ type: 'PutLogger', body: logger });
  }
  const metrics = one('metrics');
  if (metrics !== undefined) {
    await apply({ type: 'PutMetrics', body: metrics });
  }
  const machine = one('machine-config');
  if (machine !== undefined) {
    await apply({ type: 'PutMachineConfig', body: machine });
  }
  const cpuConfig = config['cpu-config'] as JsonValue | undefined;
  if (cpuConfig !== undefined && cpuConfig !== null) {
    // `cpu-config` is a template inline, or the path of a template file.
    const template =
      typeof cpuConfig === 'string'
        ? parseJson(readCpuTemplate(resolvePath(cpuConfig)))
        : cpuConfig;
    await apply({ type: 'PutCpuConfig', config: template });
  }
  await apply({ type: 'PutBootSource', body: config['boot-source'] as Body });
  for (const drive of list('drives')) {
    await apply({ type: 'PutDrive', body: drive });
  }
  for (const net of list('network-interfaces')) {
    await apply({ type: 'PutNetwork', body: net });
  }
  const vsock = one('vsock');
  if (vsock !== undefined) {
    await apply({ type: 'PutVsock', body: vsock });
  }
  const balloon = one('balloon');
  if (balloon !== undefined) {
    await apply({ type: 'PutBalloon', body: balloon });
  }
  if (metadata !== undefined) {
    await apply({ type: 'PutMmds', value: parseJson(metadata) });
  }
  const mmdsConfig = one('mmds-config');
  if (mmdsConfig !== undefined) {
    await apply({ type: 'PutMmdsConfig', body: mmdsConfig });
  }
  const entropy = one('entropy');
  if (entropy !== undefined) {
    await apply({ type: 'PutEntropy', body: entropy });
  }
  for (const pmem of list('pmem')) {
    await apply({ type: 'PutPmem', body: pmem });
  }
  const hotplug = one('memory-hotplug');
  if (hotplug !== undefined) {
    await apply({ type: 'PutMemoryHotplug', body: hotplug });
  }
  const started = await vmm.handle({ type: 'InstanceStart' });
  if (started !== 'exit' && started.status !== 204) {
    throw new ConfigFileError(configFileFailure(started.status === 200 ? '' : started.fault));
  }
};

/** Parses `--metadata` contents for the MMDS store (API mode). */
export const parseMetadata = (text: string): JsonValue => parseJson(text);
