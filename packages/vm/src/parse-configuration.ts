// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  balloonSchema,
  bootSourceSchema,
  cpuConfigSchema,
  driveSchema,
  entropyDeviceSchema,
  loggerSchema,
  machineConfigurationSchema,
  memoryHotplugConfigSchema,
  metricsSchema,
  mmdsConfigSchema,
  mmdsContentsSchema,
  networkInterfaceSchema,
  networkOverrideSchema,
  pmemSchema,
  serialSchema,
  vmmConfigFileSchema,
  vsockOverrideSchema,
  vsockSchema,
} from '@kindling/vmm-core';
import { CONFIG_FILE_KEYS, buildConfigFileDocument } from './config-file-document.js';
import type {
  ResolvedNewVmConfiguration,
  ResolvedVmConfiguration,
  RestoredVmConfiguration,
  SnapshotDeviceFile,
  SnapshotMemoryBackend,
  VmConfigurationItems,
  VmFifoOptions,
} from './configuration.js';
import { listConfigurationFiles } from './configuration-files.js';
import { VmError } from './errors.js';
import {
  checkAbsolutePath,
  checkArray,
  checkOptionObject,
  checkOptionalBoolean,
  dropNulls,
  failInput,
  parseWire,
  type WireSchema,
} from './input-checks.js';

const CODE = 'ERR_INVALID_INPUT';

const ITEM_SCHEMAS = {
  bootSource: bootSourceSchema,
  machineConfig: machineConfigurationSchema,
  cpuConfig: cpuConfigSchema,
  balloon: balloonSchema,
  vsock: vsockSchema,
  logger: loggerSchema,
  metrics: metricsSchema,
  memoryHotplug: memoryHotplugConfigSchema,
  mmdsConfig: mmdsConfigSchema,
  entropy: entropyDeviceSchema,
  serial: serialSchema,
} as const satisfies Partial<Record<keyof VmConfigurationItems, WireSchema>>;

const LIST_SCHEMAS = {
  drives: driveSchema,
  pmem: pmemSchema,
  networkInterfaces: networkInterfaceSchema,
} as const satisfies Partial<Record<keyof VmConfigurationItems, WireSchema>>;

const ITEM_KEYS = [
  ...Object.keys(ITEM_SCHEMAS),
  ...Object.keys(LIST_SCHEMAS),
  'mmds',
] as (keyof VmConfigurationItems)[];

const NEW_KEYS = ['kind', 'fifos', ...ITEM_KEYS];
const CONFIG_FILE_ONLY_KEYS = ['configFilePath'];
const RESTORED_KEYS = [
  'kind',
  'snapshotPath',
  'memBackend',
  'resume',
  'trackDirtyPages',
  'clockRealtime',
  'networkOverrides',
  'vsockOverride',
  'deviceFiles',
  'snapshotVsockPath',
  'logger',
  'metrics',
  'serial',
  'mmds',
  'fifos',
];
const KINDS = ['new-via-api', 'new-via-config-file', 'restored-from-snapshot'];

// Firecracker's own spellings, which a reader of its docs will reach for first.
const ALIASES: Readonly<Record<string, string>> = {
  ...Object.fromEntries(CONFIG_FILE_KEYS.map(([item, key]) => [key, item])),
  'mmds-data': 'mmds',
  metadata: 'mmds',
};

type MutableItems = { -readonly [Key in keyof VmConfigurationItems]?: VmConfigurationItems[Key] };

const parseItems = (
  source: Readonly<Record<string, unknown>>,
  subject: string,
  keys: readonly string[],
): MutableItems => {
  const items: Record<string, unknown> & MutableItems = {};
  for (const [key, schema] of Object.entries(ITEM_SCHEMAS)) {
    const value = source[key];
    if (keys.includes(key) && value !== undefined && value !== null) {
      items[key] = dropNulls(parseWire(schema as WireSchema, value, `${subject}.${key}`, CODE));
    }
  }
  for (const [key, schema] of Object.entries(LIST_SCHEMAS)) {
    const value = source[key];
    if (keys.includes(key) && value !== undefined && value !== null) {
      items[key] = checkArray(value, `${subject}.${key}`, CODE).map((entry, index) =>
        dropNulls(parseWire(schema as WireSchema, entry, `${subject}.${key}[${index}]`, CODE)),
      );
    }
  }
  if (keys.includes('mmds') && source['mmds'] !== undefined) {
    items['mmds'] = parseWire(mmdsContentsSchema, source['mmds'], `${subject}.mmds`, CODE);
  }
  return items;
};

const parseFifos = (value: unknown, subject: string): VmFifoOptions | undefined => {
  if (value === undefined) {
    return undefined;
  }
  const fifos = checkOptionObject(value, ['logger', 'metrics', 'serial'], subject, CODE);
  const resolved: { -readonly [Key in keyof VmFifoOptions]: VmFifoOptions[Key] } = {};
  for (const key of ['logger', 'metrics', 'serial'] as const) {
    const flag = checkOptionalBoolean(fifos[key], `${subject}.${key}`, CODE);
    if (flag !== undefined) {
      resolved[key] = flag;
    }
  }
  return resolved;
};

const checkFifoTargets = (
  fifos: VmFifoOptions | undefined,
  items: Partial<VmConfigurationItems>,
  subject: string,
): void => {
  const targets = {
    logger: items.logger?.log_path,
    metrics: items.metrics?.metrics_path,
    serial: items.serial?.serial_out_path,
  };
  for (const [key, target] of Object.entries(targets)) {
    if (fifos?.[key as keyof VmFifoOptions] === true && (target === undefined || target === null)) {
      failInput(
        CODE,
        `${subject}.fifos.${key}`,
        `asks for a FIFO, but ${key} has no output path: set ${key === 'logger' ? 'logger.log_path' : key === 'metrics' ? 'metrics.metrics_path' : 'serial.serial_out_path'}`,
        true,
      );
    }
  }
};

// Firecracker checks these rules between items as it applies a config file; an API boot meets
// the same ones call by call, so both are checked on the config-file document up front.
const checkItemRelations = (items: VmConfigurationItems, subject: string): void => {
  try {
    parseWire(vmmConfigFileSchema, buildConfigFileDocument(items), subject, CODE);
  } catch (error) {
    if (!(error instanceof VmError)) {
      throw error;
    }
    let message = error.message;
    for (const [item, key] of CONFIG_FILE_KEYS) {
      message = message.replaceAll(`${subject}.${key}`, `${subject}.${item}`);
    }
    throw new VmError(CODE, message, { cause: error });
  }
};

// Moved files may be shared (two read-only drives of one image); a file Kindling creates or
// Firecracker produces is one file, and two of them at one path would clobber each other.
const checkResourcePaths = (configuration: ResolvedVmConfiguration, subject: string): void => {
  const seen = new Map<string, { field: string; kind: string }>();
  for (const file of listConfigurationFiles(configuration, 'copy')) {
    checkAbsolutePath(file.path, `${subject}.${file.field}`, CODE);
    const earlier = seen.get(file.path);
    if (earlier !== undefined && (earlier.kind !== 'moved' || file.type.kind !== 'moved')) {
      failInput(
        CODE,
        `${subject}.${file.field}`,
        `is also ${subject}.${earlier.field}: give each output and socket a path of its own`,
        file.path,
      );
    }
    seen.set(file.path, { field: file.field, kind: file.type.kind });
  }
};

const parseNew = (
  source: Readonly<Record<string, unknown>>,
  subject: string,
): ResolvedNewVmConfiguration => {
  const viaConfigFile = source['kind'] === 'new-via-config-file';
  if (viaConfigFile) {
    for (const key of ['serial', 'mmds']) {
      if (source[key] !== undefined) {
        throw new VmError(
          CODE,
          key === 'serial'
            ? `${subject}.serial: a Firecracker config file has no serial key: boot with kind 'new-via-api' to configure the serial console`
            : `${subject}.mmds: a Firecracker config file has no MMDS data key: pass the data as VmmArguments' metadata file, or boot with kind 'new-via-api'`,
        );
      }
    }
  }
  const keys = viaConfigFile ? [...NEW_KEYS, ...CONFIG_FILE_ONLY_KEYS] : NEW_KEYS;
  checkOptionObject(source, keys, subject, CODE, ALIASES);
  if (source['bootSource'] === undefined || source['bootSource'] === null) {
    throw new VmError(
      CODE,
      `${subject}.bootSource: is required for a new VM: give at least { kernel_image_path }`,
    );
  }
  const items = parseItems(source, subject, keys) as VmConfigurationItems;
  const fifos = parseFifos(source['fifos'], `${subject}.fifos`);
  checkFifoTargets(fifos, items, subject);
  checkItemRelations(items, subject);
  const configuration: ResolvedNewVmConfiguration = viaConfigFile
    ? {
        ...items,
        kind: 'new-via-config-file',
        configFilePath:
          source['configFilePath'] === undefined
            ? path.join(tmpdir(), `kindling-vm-config-${randomUUID()}.json`)
            : checkAbsolutePath(source['configFilePath'], `${subject}.configFilePath`, CODE),
        ...(fifos === undefined ? {} : { fifos }),
      }
    : { ...items, kind: 'new-via-api', ...(fifos === undefined ? {} : { fifos }) };
  checkResourcePaths(configuration, subject);
  return configuration;
};

const parseMemoryBackend = (value: unknown, subject: string): SnapshotMemoryBackend => {
  const backend = checkOptionObject(value, ['type', 'path', 'socketPath'], subject, CODE);
  switch (backend['type']) {
    case 'file':
      checkOptionObject(backend, ['type', 'path'], subject, CODE);
      return { type: 'file', path: checkAbsolutePath(backend['path'], `${subject}.path`, CODE) };
    case 'uffd':
      checkOptionObject(backend, ['type', 'socketPath'], subject, CODE);
      return {
        type: 'uffd',
        socketPath: checkAbsolutePath(backend['socketPath'], `${subject}.socketPath`, CODE),
      };
    default:
      return failInput(CODE, `${subject}.type`, "expected 'file' or 'uffd'", backend['type']);
  }
};

const parseDeviceFiles = (value: unknown, subject: string): SnapshotDeviceFile[] =>
  checkArray(value, subject, CODE).map((entry, index) => {
    const where = `${subject}[${index}]`;
    const file = checkOptionObject(entry, ['hostPath', 'virtualPath'], where, CODE);
    const hostPath = checkAbsolutePath(file['hostPath'], `${where}.hostPath`, CODE);
    return file['virtualPath'] === undefined
      ? { hostPath }
      : {
          hostPath,
          virtualPath: checkAbsolutePath(file['virtualPath'], `${where}.virtualPath`, CODE),
        };
  });

const parseRestored = (
  source: Readonly<Record<string, unknown>>,
  subject: string,
): RestoredVmConfiguration => {
  checkOptionObject(source, RESTORED_KEYS, subject, CODE, ALIASES);
  const items = parseItems(source, subject, RESTORED_KEYS);
  const fifos = parseFifos(source['fifos'], `${subject}.fifos`);
  checkFifoTargets(fifos, items, subject);
  const optional = <Value>(key: string, parse: (value: unknown) => Value) =>
    source[key] === undefined ? {} : { [key]: parse(source[key]) };
  const configuration = {
    kind: 'restored-from-snapshot',
    snapshotPath: checkAbsolutePath(source['snapshotPath'], `${subject}.snapshotPath`, CODE),
    memBackend: parseMemoryBackend(source['memBackend'], `${subject}.memBackend`),
    ...optional('resume', (value) => checkOptionalBoolean(value, `${subject}.resume`, CODE)),
    ...optional('trackDirtyPages', (value) =>
      checkOptionalBoolean(value, `${subject}.trackDirtyPages`, CODE),
    ),
    ...optional('clockRealtime', (value) =>
      checkOptionalBoolean(value, `${subject}.clockRealtime`, CODE),
    ),
    ...optional('networkOverrides', (value) =>
      checkArray(value, `${subject}.networkOverrides`, CODE).map((entry, index) =>
        parseWire(networkOverrideSchema, entry, `${subject}.networkOverrides[${index}]`, CODE),
      ),
    ),
    ...optional('vsockOverride', (value) =>
      parseWire(vsockOverrideSchema, value, `${subject}.vsockOverride`, CODE),
    ),
    ...optional('deviceFiles', (value) => parseDeviceFiles(value, `${subject}.deviceFiles`)),
    ...optional('snapshotVsockPath', (value) =>
      checkAbsolutePath(value, `${subject}.snapshotVsockPath`, CODE),
    ),
    ...items,
    ...(fifos === undefined ? {} : { fifos }),
  } as RestoredVmConfiguration;
  checkResourcePaths(configuration, subject);
  return configuration;
};

/**
 * Validates a `VmConfiguration` with the Firecracker models before anything starts: each item
 * with its model (unknown fields, ranges, ids), the rules between items (balloon within memory,
 * one root device, unique MACs, MMDS interfaces that exist), absolute resource paths, and
 * Kindling's own options. Returns it with `kind` set and `null` fields dropped; throws `VmError`
 * `ERR_INVALID_INPUT` naming the field, its value and the rule.
 */
export const parseVmConfiguration = (
  value: unknown,
  subject = 'configuration',
): ResolvedVmConfiguration => {
  const source = checkOptionObject(
    value,
    [...new Set([...NEW_KEYS, ...CONFIG_FILE_ONLY_KEYS, ...RESTORED_KEYS])],
    subject,
    CODE,
    ALIASES,
  );
  const kind = source['kind'];
  if (kind !== undefined && !KINDS.includes(kind as string)) {
    failInput(CODE, `${subject}.kind`, `expected one of ${KINDS.join(', ')}`, kind);
  }
  return kind === 'restored-from-snapshot'
    ? parseRestored(source, subject)
    : parseNew(source, subject);
};
