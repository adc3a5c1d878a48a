// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

// Reads the package by its own name: these are the types of the built `.d.ts` that users get
// (this package's turbo.json makes its tests, typecheck and lint wait for its own build).
import type {
  Drive,
  EntropyDevice,
  FullVmConfiguration,
  InstanceInfo,
  NetworkInterface,
  PartialPmem,
} from '@kindling/vmm-core';
import { Vm, type VmCallOptions } from '@kindling/vm';
import { describe, expect, expectTypeOf, it } from 'vitest';

describe('the public types of Vm (built .d.ts)', () => {
  it('keeps the precise signatures of table-driven methods', () => {
    expectTypeOf<Vm['putDrive']>().toEqualTypeOf<
      (drive: Drive, options?: VmCallOptions) => Promise<void>
    >();
    expectTypeOf<Vm['deleteNetworkInterface']>().toEqualTypeOf<
      (ifaceId: string, options?: VmCallOptions) => Promise<void>
    >();
    expectTypeOf<Vm['putNetworkInterface']>().parameter(0).toEqualTypeOf<NetworkInterface>();
    expectTypeOf<Vm['patchPmem']>().parameter(0).toEqualTypeOf<PartialPmem>();
    expectTypeOf<Vm['getVmConfig']>().returns.toEqualTypeOf<Promise<FullVmConfiguration>>();
    expectTypeOf<Vm['getVersion']>().returns.toEqualTypeOf<Promise<string>>();
    expectTypeOf<Vm['putEntropy']>().toEqualTypeOf<
      (device?: EntropyDevice, options?: VmCallOptions) => Promise<void>
    >();
    expectTypeOf<Vm['pause']>().toEqualTypeOf<(options?: VmCallOptions) => Promise<void>>();
  });

  it('keeps the hand-written methods as they were', () => {
    expectTypeOf<Vm['getInfo']>().toEqualTypeOf<
      (options?: VmCallOptions) => Promise<InstanceInfo>
    >();
    expectTypeOf<Vm['sendCtrlAltDel']>().toEqualTypeOf<
      (options?: VmCallOptions) => Promise<void>
    >();
    // The built package is what this file reads: it must export the class itself.
    expect(Object.getOwnPropertyNames(Vm.prototype)).toContain('createSnapshot');
  });
});
