// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { z } from 'zod';
import { bootSourceSchema } from './boot-source.js';
import { cpuConfigSchema } from './cpu-config.js';
import {
  balloonSchema,
  driveSchema,
  entropyDeviceSchema,
  memoryHotplugConfigSchema,
  networkInterfaceSchema,
  pmemSchema,
  vsockSchema,
} from './devices.js';
import { loggerSchema } from './logger.js';
import { machineConfigurationSchema } from './machine-config.js';
import { metricsSchema } from './metrics.js';
import { mmdsConfigSchema } from './mmds.js';
import { expecting, responseObject, serdeOption, u32 } from './wire-types.js';

// A response reports what Firecracker holds, and Firecracker accepts any u32 CID: Kindling's
// refusal of 0-2 guards requests only.
const reportedVsockSchema = vsockSchema.extend({ guest_cid: u32() });

/**
 * The zod schema of the `GET /vm/config` response: the whole configuration, with the keys of a
 * config file. Unknown keys are kept.
 *
 * Firecracker writes every key: an absent device as `null` or `[]`, and `boot-source` always as an
 * object (`{"kernel_image_path":"","initrd_path":null,"boot_args":null}` when unset, also after a
 * snapshot restore). `logger`, `metrics` and `cpu-config` are always `null`, and there is no
 * `serial` key. The schema does not require the keys, so an older Firecracker still parses.
 */
export const fullVmConfigurationSchema = responseObject('FullVmConfiguration', {
  /** The balloon device, or `null`. */
  balloon: serdeOption(balloonSchema),
  /** All block devices, root device first. */
  drives: z.array(driveSchema, expecting('an array')).optional(),
  /** The boot source; `kernel_image_path` is `""` when unset. */
  'boot-source': serdeOption(bootSourceSchema),
  /** Always `null` in v1.16.1. */
  'cpu-config': serdeOption(cpuConfigSchema),
  /** Always `null` in v1.16.1. */
  logger: serdeOption(loggerSchema),
  /** vCPUs and memory. */
  'machine-config': serdeOption(machineConfigurationSchema),
  /** Always `null` in v1.16.1. */
  metrics: serdeOption(metricsSchema),
  /** The MMDS configuration, or `null`. */
  'mmds-config': serdeOption(mmdsConfigSchema),
  /** All network interfaces. */
  'network-interfaces': z.array(networkInterfaceSchema, expecting('an array')).optional(),
  /** The vsock device, or `null`; its `guest_cid` may be any u32 here. */
  vsock: serdeOption(reportedVsockSchema),
  /** The entropy device, or `null`. */
  entropy: serdeOption(entropyDeviceSchema),
  /** All pmem devices. */
  pmem: z.array(pmemSchema, expecting('an array')).optional(),
  /** The hot-pluggable memory region, or `null`. */
  'memory-hotplug': serdeOption(memoryHotplugConfigSchema),
});

/**
 * The microVM's whole configuration as `GET /vm/config` reports it.
 *
 * @interface
 */
export type FullVmConfiguration = z.infer<typeof fullVmConfigurationSchema>;
