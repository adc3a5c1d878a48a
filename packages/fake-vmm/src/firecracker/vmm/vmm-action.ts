// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import type { JsonValue } from '../serde/json-value.js';

/** A decoded request body (serde output: snake_case keys, only the fields that were sent). */
export type Body = Readonly<Record<string, unknown>>;

/** Every action the API can ask the VMM for (Firecracker's `VmmAction`). */
export type VmmAction =
  | { readonly type: 'GetInstanceInfo' }
  | { readonly type: 'GetVersion' }
  | { readonly type: 'GetFullVmConfig' }
  | { readonly type: 'GetMachineConfig' }
  | { readonly type: 'GetMmds' }
  | { readonly type: 'GetBalloonConfig' }
  | { readonly type: 'GetBalloonStats' }
  | { readonly type: 'GetBalloonHintingStatus' }
  | { readonly type: 'GetMemoryHotplugStatus' }
  | { readonly type: 'PutMachineConfig'; readonly body: Body }
  | { readonly type: 'PatchMachineConfig'; readonly body: Body }
  | { readonly type: 'PutBootSource'; readonly body: Body }
  | { readonly type: 'PutCpuConfig'; readonly config: JsonValue }
  | { readonly type: 'PutDrive'; readonly body: Body }
  | { readonly type: 'PatchDrive'; readonly body: Body }
  | { readonly type: 'DeleteDrive'; readonly id: string }
  | { readonly type: 'PutNetwork'; readonly body: Body }
  | { readonly type: 'PatchNetwork'; readonly body: Body }
  | { readonly type: 'DeleteNetwork'; readonly id: string }
  | { readonly type: 'PutPmem'; readonly body: Body }
  | { readonly type: 'PatchPmem'; readonly body: Body }
  | { readonly type: 'DeletePmem'; readonly id: string }
  | { readonly type: 'PutVsock'; readonly body: Body }
  | { readonly type: 'PutEntropy'; readonly body: Body }
  | { readonly type: 'PutBalloon'; readonly body: Body }
  | { readonly type: 'PatchBalloon'; readonly body: Body }
  | { readonly type: 'PatchBalloonStats'; readonly body: Body }
  | { readonly type: 'StartBalloonHinting'; readonly body: Body }
  | { readonly type: 'StopBalloonHinting' }
  | { readonly type: 'PutLogger'; readonly body: Body }
  | { readonly type: 'PutMetrics'; readonly body: Body }
  | { readonly type: 'PutSerial'; readonly body: Body }
  | { readonly type: 'PutMmdsConfig'; readonly body: Body }
  | { readonly type: 'PutMmds'; readonly value: JsonValue }
  | { readonly type: 'PatchMmds'; readonly value: JsonValue }
  | { readonly type: 'PutMemoryHotplug'; readonly body: Body }
  | { readonly type: 'PatchMemoryHotplug'; readonly body: Body }
  | { readonly type: 'InstanceStart' }
  | { readonly type: 'FlushMetrics' }
  | { readonly type: 'SendCtrlAltDel' }
  | { readonly type: 'CreateSnapshot'; readonly body: Body }
  | { readonly type: 'LoadSnapshot'; readonly body: Body }
  | { readonly type: 'PatchVmState'; readonly state: 'Paused' | 'Resumed' };

/** The actions that count as configuring the boot path (they forbid a later snapshot load). */
export const BOOT_PATH_ACTIONS: ReadonlySet<VmmAction['type']> = new Set([
  'PutBootSource',
  'PutMachineConfig',
  'PatchMachineConfig',
  'PutDrive',
  'PutNetwork',
  'PutPmem',
  'PutVsock',
  'PutEntropy',
  'PutBalloon',
  'PutMmdsConfig',
  'PutMemoryHotplug',
]);

/** Actions only a booted VM accepts (`OperationNotSupportedPreBoot` before). */
export const RUNTIME_ONLY_ACTIONS: ReadonlySet<VmmAction['type']> = new Set([
  'PatchDrive',
  'DeleteDrive',
  'PatchNetwork',
  'DeleteNetwork',
  'PatchPmem',
  'DeletePmem',
  'GetBalloonStats',
  'GetBalloonHintingStatus',
  'PatchBalloon',
  'PatchBalloonStats',
  'StartBalloonHinting',
  'StopBalloonHinting',
  'GetMemoryHotplugStatus',
  'PatchMemoryHotplug',
  'FlushMetrics',
  'SendCtrlAltDel',
  'CreateSnapshot',
  'PatchVmState',
]);

/** Actions only a VM that has not booted accepts (`OperationNotSupportedPostBoot` after). */
export const PRE_BOOT_ONLY_ACTIONS: ReadonlySet<VmmAction['type']> = new Set([
  'PutMachineConfig',
  'PatchMachineConfig',
  'PutBootSource',
  'PutCpuConfig',
  'PutVsock',
  'PutEntropy',
  'PutBalloon',
  'PutLogger',
  'PutMetrics',
  'PutSerial',
  'PutMmdsConfig',
  'PutMemoryHotplug',
  'InstanceStart',
  'LoadSnapshot',
]);

/**
 * The name Firecracker gives an action whose duration it logs (`'pause vm' VMM action took N
 * us.`, `'pause vm' API request took N us.`), or undefined for the actions it does not time.
 */
export const timedActionName = (action: VmmAction): string | undefined => {
  if (action.type === 'PatchVmState') {
    return action.state === 'Paused' ? 'pause vm' : 'resume vm';
  }
  if (action.type === 'CreateSnapshot') {
    return action.body.snapshot_type === 'Diff' ? 'create diff snapshot' : 'create full snapshot';
  }
  return action.type === 'LoadSnapshot' ? 'load snapshot' : undefined;
};
