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
import { DEFAULT_MEM_SIZE_MIB, machineConfigurationSchema } from './machine-config.js';
import { metricsSchema } from './metrics.js';
import { mmdsConfigSchema } from './mmds.js';
import {
  addRuleIssue,
  expecting,
  ignoreUnknownFields,
  serdeOption,
  wireString,
} from './wire-types.js';

const configFileShape = {
  /** Required: the guest kernel, initrd and command line. */
  'boot-source': bootSourceSchema,
  /** Required (may be `[]`): block devices. */
  drives: z.array(driveSchema, expecting('an array of drives (may be empty)')),
  /** vCPUs and memory; Firecracker's defaults (1 vCPU, 128 MiB) when omitted. */
  'machine-config': serdeOption(machineConfigurationSchema),
  /** A custom CPU template, inline or as the path of a JSON template file. */
  'cpu-config': serdeOption(
    z.union(
      [wireString('a template file path'), cpuConfigSchema],
      expecting('a CPU template file path or a CpuConfig object'),
    ),
  ),
  /** Network interfaces. */
  'network-interfaces': z.array(networkInterfaceSchema, expecting('an array')).optional(),
  /** The vsock device. */
  vsock: serdeOption(vsockSchema),
  /** The balloon device; `amount_mib` at most the memory size. */
  balloon: serdeOption(balloonSchema),
  /** The MMDS configuration; its interfaces must be in `network-interfaces`. */
  'mmds-config': serdeOption(mmdsConfigSchema),
  /** The entropy device. */
  entropy: serdeOption(entropyDeviceSchema),
  /** pmem devices. */
  pmem: z.array(pmemSchema, expecting('an array')).optional(),
  /** The hot-pluggable memory region. */
  'memory-hotplug': serdeOption(memoryHotplugConfigSchema),
  /** The logger. */
  logger: serdeOption(loggerSchema),
  /** The metrics output. */
  metrics: serdeOption(metricsSchema),
};

const configFileObjectSchema = ignoreUnknownFields('config file', configFileShape);

type ConfigFileFields = z.infer<typeof configFileObjectSchema>;

// Firecracker applies the file in this order and stops at the first error: logger, metrics,
// machine-config, cpu-config, boot-source, drives, network-interfaces, vsock, balloon, MMDS data,
// mmds-config, entropy, pmem, memory-hotplug. These checks replay the rules that relate items.

const checkBalloonFitsMemory = (config: ConfigFileFields, context: z.RefinementCtx): void => {
  const memSizeMib = config['machine-config']?.mem_size_mib ?? DEFAULT_MEM_SIZE_MIB;
  const amountMib = config.balloon?.amount_mib;
  if (amountMib !== undefined && amountMib > memSizeMib) {
    addRuleIssue(
      context,
      ['balloon', 'amount_mib'],
      `must be at most machine-config.mem_size_mib (${memSizeMib} MiB) (Firecracker: "Amount of pages requested is too large.")`,
      amountMib,
    );
  }
};

const checkSingleRootDevice = (config: ConfigFileFields, context: z.RefinementCtx): void => {
  // A device whose id is already in use replaces that device, as a PUT before boot does.
  let rootDrive: string | undefined;
  config.drives.forEach((drive, index) => {
    if (rootDrive === drive.drive_id) {
      rootDrive = undefined;
    }
    if (!drive.is_root_device) {
      return;
    }
    if (rootDrive === undefined) {
      rootDrive = drive.drive_id;
    } else {
      addRuleIssue(
        context,
        ['drives', index, 'is_root_device'],
        `must be false: drive "${rootDrive}" is already the root device (Firecracker: "A root block device already exists!")`,
        drive.is_root_device,
      );
    }
  });
  let rootPmem: string | undefined;
  (config.pmem ?? []).forEach((device, index) => {
    if (rootPmem === device.id) {
      rootPmem = undefined;
    }
    if (device.root_device !== true) {
      return;
    }
    if (rootDrive !== undefined) {
      addRuleIssue(
        context,
        ['pmem', index, 'root_device'],
        `must be false: drive "${rootDrive}" is already the root device (Firecracker: "Attempt to add pmem as a root device while the root device defined as a block device")`,
        device.root_device,
      );
    } else if (rootPmem === undefined) {
      rootPmem = device.id;
    } else {
      addRuleIssue(
        context,
        ['pmem', index, 'root_device'],
        `must be false: pmem "${rootPmem}" is already the root device (Firecracker: "A root pmem device already exist")`,
        device.root_device,
      );
    }
  });
};

const checkUniqueGuestMacs = (config: ConfigFileFields, context: z.RefinementCtx): void => {
  const macs = new Map<string, string>();
  (config['network-interfaces'] ?? []).forEach((iface, index) => {
    macs.delete(iface.iface_id);
    const mac = iface.guest_mac?.toLowerCase();
    if (mac === undefined) {
      return;
    }
    const owner = [...macs].find(([, other]) => other === mac)?.[0];
    if (owner === undefined) {
      macs.set(iface.iface_id, mac);
    } else {
      addRuleIssue(
        context,
        ['network-interfaces', index, 'guest_mac'],
        `must differ from interface "${owner}"'s (Firecracker: "The MAC address is already in use: ${mac}")`,
        iface.guest_mac,
      );
    }
  });
};

const checkMmdsInterfacesExist = (config: ConfigFileFields, context: z.RefinementCtx): void => {
  const ids = new Set((config['network-interfaces'] ?? []).map((iface) => iface.iface_id));
  config['mmds-config']?.network_interfaces.forEach((id, index) => {
    if (!ids.has(id)) {
      addRuleIssue(
        context,
        ['mmds-config', 'network_interfaces', index],
        'must name an interface of network-interfaces (Firecracker: "The list of network interface IDs provided contains at least one ID that does not correspond to any existing network interface.")',
        id,
      );
    }
  });
};

/**
 * The zod schema of the `--config-file` document: the whole configuration, kebab-case at the top
 * level and Firecracker's snake_case inside. Firecracker boots from it at once.
 *
 * `boot-source` and `drives` (possibly `[]`) are required. `cpu-config` is a `CpuConfig` object or
 * the path of a template file. There is no `serial` key. Unknown top-level keys are ignored by
 * Firecracker, so parsing drops them; inside, each item follows its own schema.
 *
 * Besides each item's rules, the schema checks what Firecracker checks across items while it
 * applies the file, where an error ends the process with exit code 1: the balloon fits the memory
 * size (default 128 MiB), one root device at most across drives and pmem, guest MACs are unique,
 * and MMDS names configured interfaces.
 */
export const vmmConfigFileSchema = configFileObjectSchema.superRefine((config, context) => {
  checkBalloonFitsMemory(config, context);
  checkSingleRootDevice(config, context);
  checkUniqueGuestMacs(config, context);
  checkMmdsInterfacesExist(config, context);
});

/**
 * The document Firecracker reads with `--config-file`.
 *
 * @interface
 */
export type VmmConfigFile = z.infer<typeof vmmConfigFileSchema>;
