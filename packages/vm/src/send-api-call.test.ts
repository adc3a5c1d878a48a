// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { ApiError, ProcessError, type ApiClient, type ApiResponse } from '@kindling/process';
import { describe, expect, it, vi } from 'vitest';
import { sendApiCall, type VmLogger } from './send-api-call.js';

// Just enough of an ApiClient: `request` answers or fails as told.
type RequestFn = (...args: Parameters<ApiClient['request']>) => Promise<ApiResponse>;

const clientThat = (request: RequestFn): ApiClient => ({ request }) as unknown as ApiClient;

const logger = () => ({
  debug: vi.fn<VmLogger['debug']>(),
  info: vi.fn<VmLogger['info']>(),
  warn: vi.fn<VmLogger['warn']>(),
  error: vi.fn<VmLogger['error']>(),
});

describe('sendApiCall', () => {
  it('returns the answer and passes the call, its timeout and its signal on', async () => {
    const request = vi.fn<RequestFn>(() =>
      Promise.resolve({ status: 204, body: undefined, deprecated: false }),
    );
    const controller = new AbortController();
    const answer = await sendApiCall(
      clientThat(request),
      { method: 'PUT', path: '/vm', body: { state: 'Paused' } },
      {
        caller: 'vm.pause()',
        options: { signal: controller.signal, timeoutMs: 50 },
      },
    );
    expect(answer.status).toBe(204);
    expect(request).toHaveBeenCalledWith(
      'PUT',
      '/vm',
      { state: 'Paused' },
      { signal: controller.signal, timeoutMs: 50 },
    );
  });

  it('turns a refusal into ERR_API_RESPONSE naming the caller, with the ApiError as cause', async () => {
    const refusal = new ApiError({
      status: 400,
      method: 'PATCH',
      path: '/balloon',
      firecrackerMessage: 'Balloon update error: …',
      source: 'fault_message',
    });
    const error = await sendApiCall(
      clientThat(() => Promise.reject(refusal)),
      { method: 'PATCH', path: '/balloon', body: {} },
      { caller: 'vm.patchBalloon()' },
    ).catch((caught: unknown) => caught);
    expect(error).toMatchObject({
      name: 'VmError',
      code: 'ERR_API_RESPONSE',
      message:
        'vm.patchBalloon(): Firecracker rejected PATCH /balloon with 400: Balloon update error: …',
      cause: refusal,
    });
  });

  it("passes the client's error through when a request did not complete", async () => {
    const timeout = new ProcessError(
      'ERR_API_TIMEOUT',
      'GET /: Firecracker did not answer within 5 ms',
    );
    await expect(
      sendApiCall(
        clientThat(() => Promise.reject(timeout)),
        { method: 'GET', path: '/' },
        { caller: 'vm.getInfo()' },
      ),
    ).rejects.toBe(timeout);
  });

  it('rethrows the abort reason as is', async () => {
    const controller = new AbortController();
    const reason = new Error('stop');
    controller.abort(reason);
    await expect(
      sendApiCall(
        clientThat(() => Promise.reject(reason)),
        { method: 'GET', path: '/' },
        { caller: 'vm.getInfo()', options: { signal: controller.signal } },
      ),
    ).rejects.toBe(reason);
  });

  it('warns when Firecracker flags a deprecated field', async () => {
    const log = logger();
    await sendApiCall(
      clientThat(() => Promise.resolve({ status: 204, body: undefined, deprecated: true })),
      {
        method: 'PUT',
        path: '/machine-config',
        body: { vcpu_count: 1, mem_size_mib: 128, cpu_template: 'T2' },
      },
      { caller: 'vm.putMachineConfig()', logger: log },
    );
    expect(log.warn).toHaveBeenCalledWith(
      'vm.putMachineConfig(): Firecracker answered PUT /machine-config with "Deprecation: true": the request uses a deprecated field',
    );
  });
});
