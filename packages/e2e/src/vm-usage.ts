// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { vsockFetch } from '@kindling/ext-http-vsock';
import { readMetrics, vmEnded } from '@kindling/ext-metrics';
import type { Vm } from '@kindling/vm';
import { echoOver } from './echo.ts';

/** The fake guest's HTTP service (POST /ping {a, b} answers {c: a·b}) and its echo. */
const HTTP_PORT = 8000;
const ECHO_PORT = 5000;

/** Where in its use a VM's Firecracker is killed from outside (SIGKILL), if it is. */
export type KillPoint = 'before-use' | 'mid-use';

/** What a use of a VM is given: its metrics FIFO, the bounds, and the fault to inject. */
export interface VmUseOptions {
  readonly metricsPath: string;
  readonly timeoutMs: number;
  readonly signal: AbortSignal;
  readonly killAt?: KillPoint | undefined;
}

const killFromOutside = (vm: Vm): void => {
  if (vm.pid !== undefined) {
    process.kill(vm.pid, 'SIGKILL');
  }
};

const expectEqual = (what: string, got: unknown, expected: unknown): void => {
  if (JSON.stringify(got) !== JSON.stringify(expected)) {
    throw new Error(`${what}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(got)}`);
  }
};

const readFirstMetrics = async (vm: Vm, options: VmUseOptions): Promise<string> => {
  const entries = await readMetrics(vm.resolveEffectivePath(options.metricsPath), {
    until: vmEnded(vm),
    signal: options.signal,
  });
  await vm.flushMetrics({ signal: options.signal });
  for await (const entry of entries) {
    // Leaving the loop closes the FIFO.
    return entry.type;
  }
  throw new Error('the metrics FIFO ended before a first entry');
};

/**
 * Uses a running VM as a program would, checking each answer: GET machine-config, describe the
 * instance, a metrics record, pause and resume, an HTTP request over vsock and an echo.
 */
export const useVm = async (vm: Vm, options: VmUseOptions): Promise<void> => {
  const { signal, timeoutMs } = options;
  if (options.killAt === 'before-use') {
    killFromOutside(vm);
  }
  expectEqual('vcpu_count', (await vm.getMachineConfig({ signal })).vcpu_count, 1);
  expectEqual('state', (await vm.getInfo({ signal })).state, 'Running');
  expectEqual('metrics', await readFirstMetrics(vm, options), 'record');
  if (options.killAt === 'mid-use') {
    killFromOutside(vm);
  }
  await vm.pause({ signal });
  await vm.resume({ signal });
  const response = await vsockFetch(vm, HTTP_PORT, '/ping', {
    method: 'POST',
    body: JSON.stringify({ a: 6, b: 7 }),
    signal,
  });
  expectEqual('POST /ping', await response.json(), { c: 42 });
  const socket = await vm.connectVsock(ECHO_PORT, { signal, timeoutMs });
  try {
    expectEqual('echo', await echoOver(socket, 'kindling'), 'kindling');
  } finally {
    socket.destroy();
  }
};
