// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import type { z } from 'zod';
import {
  addRuleIssue,
  denyUnknownFields,
  integerIn,
  isSet,
  serdeOption,
  u64,
  wireBoolean,
  wireEnum,
} from './wire-types.js';

/** The most vCPUs Firecracker allows (`MAX_SUPPORTED_VCPUS`). */
export const MAX_VCPU_COUNT = 32;

/** The memory size Firecracker uses when machine-config is never set, in MiB. */
export const DEFAULT_MEM_SIZE_MIB = 128;

/**
 * The zod schema of a static CPU template (machine-config `cpu_template`, deprecated): `C3`, `T2`,
 * `T2S`, `T2CL` and `T2A` exist on x86_64 and `V1N1` on aarch64; `None` clears the template.
 */
export const staticCpuTemplateSchema = wireEnum(['C3', 'T2', 'T2S', 'T2CL', 'T2A', 'V1N1', 'None']);

/**
 * A static (built-in) CPU template name.
 *
 * @useDeclaredType
 */
export type StaticCpuTemplate = z.infer<typeof staticCpuTemplateSchema>;

/**
 * The zod schema of machine-config `huge_pages`: `None` (4 KiB pages, the default) or `2M`
 * (hugetlbfs). `Transparent` exists only in Firecracker newer than v1.16.1, which rejects it
 * (``unknown variant `Transparent`, expected `None` or `2M` ``).
 */
export const hugePagesSchema = wireEnum(['None', '2M', 'Transparent']);

/**
 * The page size backing guest memory.
 *
 * @useDeclaredType
 */
export type HugePages = z.infer<typeof hugePagesSchema>;

const vcpuCountSchema = integerIn(1, MAX_VCPU_COUNT, 'Firecracker allows 1 to 32 vCPUs');
const memSizeMibSchema = u64().min(1, {
  error: 'must be at least 1 (Firecracker: "The memory size (MiB) is either 0, …")',
});

interface MachineFields {
  readonly vcpu_count?: number | null | undefined;
  readonly mem_size_mib?: number | null | undefined;
  readonly smt?: boolean | null | undefined;
  readonly huge_pages?: HugePages | null | undefined;
}

// Firecracker's `VmConfig::update` rules that tie two fields together; a PATCH body is checked
// only against the fields it carries, since the others come from the VM's current configuration.
const checkMachineRules = (value: MachineFields, context: z.RefinementCtx): void => {
  const { vcpu_count: vcpuCount, mem_size_mib: memSizeMib } = value;
  if (value.smt === true && typeof vcpuCount === 'number' && vcpuCount > 1 && vcpuCount % 2 === 1) {
    addRuleIssue(
      context,
      ['vcpu_count'],
      'must be 1 or an even number when smt is true (Firecracker: "The number of vCPUs must be … 1 or an even number if SMT is enabled.")',
      vcpuCount,
    );
  }
  if (value.huge_pages === '2M' && typeof memSizeMib === 'number' && memSizeMib % 2 !== 0) {
    addRuleIssue(
      context,
      ['mem_size_mib'],
      'must be a multiple of 2 when huge_pages is "2M" (Firecracker: "The memory size (MiB) is … not a multiple of the configured page size.")',
      memSizeMib,
    );
  }
};

const machineConfigurationShape = {
  /** Number of vCPUs, 1–32 (u8); with `smt: true`, 1 or even. Firecracker's default is 1. */
  vcpu_count: vcpuCountSchema,
  /**
   * Guest memory in MiB (usize), at least 1, no upper bound at PUT time; a multiple of 2 with
   * `huge_pages: "2M"`, and not below the balloon's `amount_mib`. Firecracker's default is 128.
   */
  mem_size_mib: memSizeMibSchema,
  /**
   * Simultaneous multithreading (x86_64 only: aarch64 rejects `true` with `"Enabling simultaneous
   * multithreading is not supported on aarch64."`). Default false; a PUT that omits it resets it.
   */
  smt: wireBoolean().optional(),
  /**
   * Static CPU template (deprecated: using it adds `Deprecation: true` to the response). A PUT
   * that omits it keeps the current template; `GET` omits it when none or custom.
   */
  cpu_template: serdeOption(staticCpuTemplateSchema),
  /** Dirty-page tracking, needed for diff snapshots. Default false; a PUT that omits it resets it. */
  track_dirty_pages: wireBoolean().optional(),
  /** Page size backing guest memory. Default `None`; a PUT that omits it resets it. */
  huge_pages: hugePagesSchema.optional(),
};

/**
 * The zod schema of a `MachineConfiguration` (`PUT` and `GET /machine-config`; `machine-config`
 * in a config file). Unknown fields are rejected.
 *
 * Rules, as Firecracker's `VmConfig::update` checks them: `vcpu_count` 1–32, and 1 or even when
 * `smt` is true; `mem_size_mib` at least 1, and even with `huge_pages: "2M"`. Firecracker also
 * refuses a memory size below the balloon target, and `smt: true` on aarch64: those depend on
 * state and host, so the schema cannot check them. Defaults (1 vCPU, 128 MiB, everything else
 * off) are Firecracker's, not filled in by parsing.
 */
export const machineConfigurationSchema = denyUnknownFields(
  'MachineConfiguration',
  machineConfigurationShape,
).superRefine(checkMachineRules);

/**
 * vCPUs, memory and CPU features of the microVM.
 *
 * @interface
 */
export type MachineConfiguration = z.infer<typeof machineConfigurationSchema>;

/**
 * The zod schema of a `PATCH /machine-config` body (Rust `MachineConfigUpdate`): any non-empty
 * subset of {@link machineConfigurationSchema}'s fields, unknown fields rejected. A body with no
 * field set (`{}`) is refused as Firecracker does (`"Empty PATCH request."`). The SMT and
 * huge-page rules are checked when the body carries both fields they relate.
 */
export const partialMachineConfigurationSchema = denyUnknownFields('MachineConfigurationUpdate', {
  /** Number of vCPUs, 1–32; with `smt: true`, 1 or even. */
  vcpu_count: serdeOption(vcpuCountSchema),
  /** Guest memory in MiB, at least 1; a multiple of 2 with `huge_pages: "2M"`. */
  mem_size_mib: serdeOption(memSizeMibSchema),
  /** Simultaneous multithreading (x86_64 only). */
  smt: serdeOption(wireBoolean()),
  /** Static CPU template (deprecated). */
  cpu_template: serdeOption(staticCpuTemplateSchema),
  /** Dirty-page tracking, needed for diff snapshots. */
  track_dirty_pages: serdeOption(wireBoolean()),
  /** Page size backing guest memory. */
  huge_pages: serdeOption(hugePagesSchema),
}).superRefine((value, context) => {
  if (!Object.values(value).some(isSet)) {
    addRuleIssue(
      context,
      [],
      'must set at least one field (Firecracker: "Empty PATCH request.")',
      value,
    );
    return;
  }
  checkMachineRules(value, context);
});

/**
 * A partial machine configuration for `PATCH /machine-config`.
 *
 * @interface
 */
export type PartialMachineConfiguration = z.infer<typeof partialMachineConfigurationSchema>;
