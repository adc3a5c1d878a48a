// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { isKindlingError } from '@kindling/spawner';
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { VmmCoreError } from '../errors.js';
import { parseWithSchema } from '../validation.js';
import * as models from './index.js';

interface BadInput {
  /** A value the schema must reject. */
  readonly value: unknown;
  /** The start of the message line: subject and path of the bad field. */
  readonly field: string;
  /** How the bad value is shown. */
  readonly shown: string;
  /** A piece of the rule the message must state. */
  readonly rule: string;
}

const kernel = { kernel_image_path: '/vmlinux' };

// One bad value per exported schema; the subject is the schema's name without "Schema".
const badInputs: Record<string, BadInput> = {
  apiResourceIdSchema: {
    value: 'eth-0',
    field: 'apiResourceId:',
    shown: '"eth-0"',
    rule: '"-" is not allowed',
  },
  tokenBucketSchema: {
    value: { size: -1, refill_time: 1 },
    field: 'tokenBucket.size:',
    shown: '-1',
    rule: 'integer from 0',
  },
  rateLimiterSchema: {
    value: { ops: { size: 1 } },
    field: 'rateLimiter.ops.refill_time:',
    shown: 'nothing',
    rule: 'is required',
  },
  bootSourceSchema: {
    value: { ...kernel, boot_args: 'a\tb' },
    field: 'bootSource.boot_args:',
    shown: '"a\\tb"',
    rule: 'printable ASCII',
  },
  hugePagesSchema: { value: '1G', field: 'hugePages:', shown: '"1G"', rule: 'one of "None", "2M"' },
  machineConfigurationSchema: {
    value: { vcpu_count: 0, mem_size_mib: 128 },
    field: 'machineConfiguration.vcpu_count:',
    shown: '0',
    rule: 'from 1 to 32',
  },
  partialMachineConfigurationSchema: {
    value: {},
    field: 'partialMachineConfiguration:',
    shown: '{}',
    rule: 'Empty PATCH request.',
  },
  staticCpuTemplateSchema: {
    value: 'T3',
    field: 'staticCpuTemplate:',
    shown: '"T3"',
    rule: 'one of "C3"',
  },
  armRegisterModifierSchema: {
    value: { addr: '12', bitmap: '0b1' },
    field: 'armRegisterModifier.addr:',
    shown: '"12"',
    rule: 'refuses decimal',
  },
  cpuConfigSchema: {
    value: { kvm_capabilities: ['x'] },
    field: 'cpuConfig.kvm_capabilities[0]:',
    shown: '"x"',
    rule: 'KVM capability number',
  },
  cpuidLeafModifierSchema: {
    value: { leaf: '0x1', subleaf: '0x0', flags: -1, modifiers: [] },
    field: 'cpuidLeafModifier.flags:',
    shown: '-1',
    rule: '(u32)',
  },
  cpuidRegisterModifierSchema: {
    value: { register: 'rax', bitmap: '0b1' },
    field: 'cpuidRegisterModifier.register:',
    shown: '"rax"',
    rule: 'one of "eax"',
  },
  msrModifierSchema: {
    value: { addr: '0x1', bitmap: '0b2' },
    field: 'msrModifier.bitmap:',
    shown: '"0b2"',
    rule: '"2" is none of these',
  },
  vcpuFeaturesSchema: {
    value: { index: 0, bitmap: '1'.repeat(33) },
    field: 'vcpuFeatures.bitmap:',
    shown: '"111',
    rule: 'more than 32 bit characters',
  },
  driveSchema: {
    value: { drive_id: 'a', is_root_device: false, path_on_host: '/a', socket: '/s' },
    field: 'drive.socket:',
    shown: '"/s"',
    rule: 'must not be set together with path_on_host',
  },
  partialDriveSchema: {
    value: { drive_id: '' },
    field: 'partialDrive.drive_id:',
    shown: '""',
    rule: 'The ID cannot be empty.',
  },
  guestMacSchema: {
    value: 'AA:FC',
    field: 'guestMac:',
    shown: '"AA:FC"',
    rule: 'six ":"-separated pairs',
  },
  networkInterfaceSchema: {
    value: { iface_id: 'eth0', host_dev_name: 'tap0', mtu: 67 },
    field: 'networkInterface.mtu:',
    shown: '67',
    rule: 'MTU 68 to 65535',
  },
  partialNetworkInterfaceSchema: {
    value: { iface_id: 'eth0', mtu: 1500 },
    field: 'partialNetworkInterface:',
    shown: '{"iface_id":"eth0","mtu":1500}',
    rule: 'unknown field "mtu"',
  },
  partialPmemSchema: {
    value: { id: 'p', read_only: true },
    field: 'partialPmem:',
    shown: '{"id":"p","read_only":true}',
    rule: 'unknown field "read_only"',
  },
  pmemSchema: {
    value: { id: 'p-1', path_on_host: '/p' },
    field: 'pmem.id:',
    shown: '"p-1"',
    rule: 'Unicode letters, digits and "_"',
  },
  vsockSchema: {
    value: { guest_cid: 2, uds_path: '/v' },
    field: 'vsock.guest_cid:',
    shown: '2',
    rule: 'reserved CIDs 0-2',
  },
  entropyDeviceSchema: {
    value: { rate_limiter: { ops: 1 } },
    field: 'entropyDevice.rate_limiter.ops:',
    shown: '1',
    rule: 'expected a TokenBucket object',
  },
  balloonHintingStartSchema: {
    value: { acknowledge_on_stop: 1 },
    field: 'balloonHintingStart.acknowledge_on_stop:',
    shown: '1',
    rule: 'true or false',
  },
  balloonHintingStatusSchema: {
    value: { host_cmd: -1 },
    field: 'balloonHintingStatus.host_cmd:',
    shown: '-1',
    rule: '(u32)',
  },
  balloonSchema: {
    value: { amount_mib: 2 ** 32, deflate_on_oom: true },
    field: 'balloon.amount_mib:',
    shown: '4294967296',
    rule: '(u32)',
  },
  balloonStatsSchema: {
    value: { target_pages: 1, actual_pages: 1, target_mib: 1 },
    field: 'balloonStats.actual_mib:',
    shown: 'nothing',
    rule: 'is required',
  },
  balloonStatsUpdateSchema: {
    value: { stats_polling_interval_s: 65_536 },
    field: 'balloonStatsUpdate.stats_polling_interval_s:',
    shown: '65536',
    rule: '(u16)',
  },
  balloonUpdateSchema: {
    value: { amount_mib: 1, stats_polling_interval_s: 1 },
    field: 'balloonUpdate:',
    shown: '{"amount_mib":1,"stats_polling_interval_s":1}',
    rule: 'Firecracker rejects unknown fields in BalloonUpdate',
  },
  loggerLevelSchema: {
    value: 'Verbose',
    field: 'loggerLevel:',
    shown: '"Verbose"',
    rule: 'Invalid LevelFilter',
  },
  loggerSchema: {
    value: { level: 'loud' },
    field: 'logger.level:',
    shown: '"loud"',
    rule: 'in any case',
  },
  metricsSchema: {
    value: {},
    field: 'metrics.metrics_path:',
    shown: 'nothing',
    rule: 'is required',
  },
  serialSchema: {
    value: { rate_limiter: { size: 1.5, refill_time: 1 } },
    field: 'serial.rate_limiter.size:',
    shown: '1.5',
    rule: 'an integer',
  },
  mmdsConfigSchema: {
    value: { network_interfaces: ['eth0'], ipv4_address: '169.254.0.1' },
    field: 'mmdsConfig.ipv4_address:',
    shown: '"169.254.0.1"',
    rule: 'not link local',
  },
  mmdsContentsSchema: {
    value: { latest: { ttl: Number.NaN } },
    field: 'mmdsContents.latest.ttl:',
    shown: 'null',
    rule: 'expected a JSON value',
  },
  memoryHotplugConfigSchema: {
    value: { total_size_mib: 1024, block_size_mib: 3 },
    field: 'memoryHotplugConfig.block_size_mib:',
    shown: '3',
    rule: 'power of 2',
  },
  memoryHotplugSizeUpdateSchema: {
    value: { requested_size_mib: '1' },
    field: 'memoryHotplugSizeUpdate.requested_size_mib:',
    shown: '"1"',
    rule: 'an integer',
  },
  memoryHotplugStatusSchema: {
    value: { total_size_mib: 1, slot_size_mib: 1, block_size_mib: 1, plugged_size_mib: 1 },
    field: 'memoryHotplugStatus.requested_size_mib:',
    shown: 'nothing',
    rule: 'is required',
  },
  memoryBackendSchema: {
    value: { backend_type: 'Memfd', backend_path: '/m' },
    field: 'memoryBackend.backend_type:',
    shown: '"Memfd"',
    rule: 'one of "File", "Uffd"',
  },
  networkOverrideSchema: {
    value: { iface_id: 'eth0' },
    field: 'networkOverride.host_dev_name:',
    shown: 'nothing',
    rule: 'is required',
  },
  snapshotCreateParamsSchema: {
    value: { snapshot_path: '/s', mem_file_path: '/m', snapshot_type: 'Incremental' },
    field: 'snapshotCreateParams.snapshot_type:',
    shown: '"Incremental"',
    rule: 'one of "Full", "Diff"',
  },
  snapshotLoadParamsSchema: {
    value: {
      snapshot_path: '/s',
      mem_file_path: '/m',
      mem_backend: { backend_type: 'File', backend_path: '/m' },
    },
    field: 'snapshotLoadParams.mem_file_path:',
    shown: '"/m"',
    rule: 'too many fields',
  },
  vsockOverrideSchema: {
    value: { uds_path: 3 },
    field: 'vsockOverride.uds_path:',
    shown: '3',
    rule: 'a path string',
  },
  firecrackerVersionSchema: {
    value: { firecracker_version: 1.16 },
    field: 'firecrackerVersion.firecracker_version:',
    shown: '1.16',
    rule: 'a string',
  },
  instanceActionInfoSchema: {
    value: { action_type: 'Reboot' },
    field: 'instanceActionInfo.action_type:',
    shown: '"Reboot"',
    rule: 'one of "InstanceStart"',
  },
  instanceInfoSchema: {
    value: { id: 'a', state: 'Stopped', vmm_version: '1', app_name: 'F' },
    field: 'instanceInfo.state:',
    shown: '"Stopped"',
    rule: 'one of "Not started"',
  },
  vmStateSchema: {
    value: { state: 'Running' },
    field: 'vmState.state:',
    shown: '"Running"',
    rule: 'one of "Paused", "Resumed"',
  },
  fullVmConfigurationSchema: {
    value: { drives: {} },
    field: 'fullVmConfiguration.drives:',
    shown: '{}',
    rule: 'an array',
  },
  vmmConfigFileSchema: {
    value: {
      'boot-source': kernel,
      drives: [],
      balloon: { amount_mib: 200, deflate_on_oom: true },
    },
    field: 'vmmConfigFile.balloon.amount_mib:',
    shown: '200',
    rule: 'Amount of pages requested is too large.',
  },
};

const exportedSchemas = Object.entries(models).filter(([name]) => name.endsWith('Schema')) as [
  string,
  z.ZodType,
][];

const badInputFor = (name: string): BadInput => {
  const bad = badInputs[name];
  if (bad === undefined) {
    throw new Error(`add a bad input for ${name} to badInputs`);
  }
  return bad;
};

// Parses with the schema's name (without "Schema") as the subject, and returns what it threw.
const rejectionOf = (name: string, schema: z.ZodType): unknown => {
  try {
    parseWithSchema(schema, badInputFor(name).value, name.replace(/Schema$/u, ''));
  } catch (error) {
    return error;
  }
  throw new Error(`${name} accepted its bad input`);
};

const firstLineOf = (error: unknown): string =>
  error instanceof Error ? (error.message.split('\n')[0] ?? '') : String(error);

describe('the models barrel', () => {
  it('has a bad-input case for every exported schema', () => {
    expect(exportedSchemas.map(([name]) => name).toSorted()).toEqual(
      Object.keys(badInputs).toSorted(),
    );
  });

  it.each(exportedSchemas)(
    '%s rejects a bad value with a KindlingError naming the field, the value and the rule',
    (name, schema) => {
      const bad = badInputFor(name);
      const error = rejectionOf(name, schema);
      expect(error).toBeInstanceOf(VmmCoreError);
      expect(isKindlingError(error)).toBe(true);
      expect(error).toHaveProperty('code', 'ERR_INVALID_INPUT');
      expect(error).toHaveProperty('cause');
      const line = firstLineOf(error);
      expect(line.startsWith(`${bad.field} `), line).toBe(true);
      expect(line).toContain(bad.rule);
      expect(line).toContain(`got ${bad.shown}`);
    },
  );

  it('exports the constants with the values of firecracker.md', () => {
    expect(models.MAX_VCPU_COUNT).toBe(32);
    expect(models.DEFAULT_MEM_SIZE_MIB).toBe(128);
    expect(models.BOOT_ARGS_MAX_BYTES).toBe(2047);
    expect(models.MIN_GUEST_CID).toBe(3);
    expect(models.DEFAULT_MMDS_IPV4_ADDRESS).toBe('169.254.169.254');
    expect(models.DEFAULT_HOTPLUG_BLOCK_SIZE_MIB).toBe(2);
    expect(models.DEFAULT_HOTPLUG_SLOT_SIZE_MIB).toBe(128);
    expect(models.DEFAULT_BOOT_ARGS).toBe(
      'reboot=k panic=1 nomodule 8250.nr_uarts=0 i8042.noaux i8042.nomux i8042.dumbkbd swiotlb=noforce',
    );
  });
});
