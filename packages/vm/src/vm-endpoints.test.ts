// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { describe, expect, expectTypeOf, it, vi } from 'vitest';
import { Vm } from './vm.js';
import {
  callVmEndpoint,
  createVmEndpointBase,
  type VmEndpointMismatch,
} from './vm-endpoint-base.js';
import { VM_ENDPOINTS } from './vm-endpoints.js';
import type { VmCore } from './vm-core.js';

// Just enough of a VmCore: no profile, `request` records the call and answers `answer`.
const coreAnswering = (answer?: unknown) => {
  const request = vi.fn<(...args: Parameters<VmCore['request']>) => Promise<unknown>>(() =>
    Promise.resolve(answer),
  );
  const setRunState = vi.fn<VmCore['setRunState']>();
  const options = { profile: undefined, executor: {} };
  return { core: { options, request, setRunState } as unknown as VmCore, request, setRunState };
};

const drive = { drive_id: 'data', is_root_device: false, path_on_host: '/d.ext4' };

describe('the endpoint table', () => {
  it('has a method on Vm for every row, named after it', () => {
    for (const name of Object.keys(VM_ENDPOINTS)) {
      expect(typeof Reflect.get(Vm.prototype, name)).toBe('function');
      expect((Reflect.get(Vm.prototype, name) as () => unknown).name).toBe(name);
    }
  });

  it('agrees with the signatures users see', () => {
    expectTypeOf<VmEndpointMismatch>().toEqualTypeOf<never>();
  });

  it('fills a path segment from the body, and sends the parsed body', async () => {
    const { core, request } = coreAnswering();
    const result = await callVmEndpoint(core, 'putDrive', VM_ENDPOINTS.putDrive, [drive]);
    expect(result).toBeUndefined();
    expect(request).toHaveBeenCalledWith(
      'vm.putDrive()',
      ['boot-configuration', 'booted'],
      { method: 'PUT', path: '/drives/data', body: drive },
      {},
      undefined,
    );
  });

  it('fills a path segment with an id argument and sends no body', async () => {
    const { core, request } = coreAnswering();
    const signal = new AbortController().signal;
    await callVmEndpoint(core, 'deletePmem', VM_ENDPOINTS.deletePmem, ['pm0', { signal }]);
    expect(request).toHaveBeenCalledWith(
      'vm.deletePmem()',
      ['booted'],
      { method: 'DELETE', path: '/pmem/pm0' },
      { signal },
      undefined,
    );
  });

  it('sends no body, or the default, for an omitted argument, as the row says', async () => {
    const { core, request } = coreAnswering();
    await callVmEndpoint(core, 'startBalloonHinting', VM_ENDPOINTS.startBalloonHinting, []);
    await callVmEndpoint(core, 'putEntropy', VM_ENDPOINTS.putEntropy, []);
    expect(request.mock.calls.map((call) => call[2])).toEqual([
      { method: 'PATCH', path: '/balloon/hinting/start' },
      { method: 'PUT', path: '/entropy', body: {} },
    ]);
  });

  it('refuses a bad argument or option before any request', async () => {
    const { core, request } = coreAnswering();
    await expect(
      callVmEndpoint(core, 'putDrive', VM_ENDPOINTS.putDrive, [{ ...drive, drive_id: 'a b' }]),
    ).rejects.toMatchObject({
      code: 'ERR_INVALID_INPUT',
      message: expect.stringMatching(/^drive\.drive_id: /u),
    });
    await expect(
      callVmEndpoint(core, 'getBalloon', VM_ENDPOINTS.getBalloon, [{ timeout: 5 }]),
    ).rejects.toMatchObject({
      code: 'ERR_INVALID_INPUT',
      message: 'options.timeout: unknown key; did you mean timeoutMs?',
    });
    expect(request).not.toHaveBeenCalled();
  });

  it('returns what `select` picks from the parsed answer', async () => {
    const { core, request } = coreAnswering({ firecracker_version: '1.16.1' });
    expect(await callVmEndpoint(core, 'getVersion', VM_ENDPOINTS.getVersion, [])).toBe('1.16.1');
    const schema = request.mock.calls[0]?.[4];
    expect(schema?.parse({ firecracker_version: '1.16.1' })).toEqual({
      firecracker_version: '1.16.1',
    });
  });

  it('records the run state Firecracker confirmed', async () => {
    const { core, setRunState } = coreAnswering();
    await callVmEndpoint(core, 'pause', VM_ENDPOINTS.pause, []);
    expect(setRunState).toHaveBeenCalledWith('paused');
  });

  it('refuses to run a method on something that is not a Vm', async () => {
    const Base = createVmEndpointBase();
    const { getVersion } = Base.prototype;
    await expect(Reflect.apply(getVersion, {}, [])).rejects.toThrow(
      'vm.getVersion() was called on something not a Vm',
    );
  });
});
