// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import type { FirecrackerMethod } from '@kindling/client';
import { EXIT_CODES, type ExitCode } from '../exit-codes.js';
import type { CliIo, Output } from '../output.js';
import { describeRemoteVm } from './remote-listing.js';
import { connectServer, SERVER_CALL_TIMEOUT_MS, type ServerFlags } from './server-flags.js';

type WithServer = ServerFlags & { readonly server: string };

/** `pause --server`, `resume --server`: prints `{ name, state }` as the local commands do. */
export const setRemoteState = async (
  out: Output,
  flags: WithServer,
  name: string,
  state: 'Paused' | 'Resumed',
): Promise<void> => {
  await using client = await connectServer(flags);
  const vm = state === 'Paused' ? await client.pauseVm(name) : await client.resumeVm(name);
  out.data({ name, state: vm.state }, () => describeRemoteVm(vm, client.server));
};

/** What `stop --server` takes. */
export interface RemoteStopOptions {
  readonly gracefulMs: number;
  readonly timeoutMs: number;
  /** Keep the server's record of the VM (default: deleted, as a local `stop` removes its files). */
  readonly keep: boolean;
}

/**
 * `stop --server`: the server shuts the VM down (Ctrl+Alt+Del for `gracefulMs`, then a kill) and,
 * unless `keep`, deletes it; prints `{ name, stopped: true, how, exit? }`.
 */
export const stopRemoteVm = async (
  out: Output,
  flags: WithServer,
  name: string,
  options: RemoteStopOptions,
): Promise<void> => {
  await using client = await connectServer(flags);
  const callTimeoutMs = options.gracefulMs + options.timeoutMs;
  const vm = await client.stopVm(
    name,
    { timeoutMs: options.gracefulMs },
    { timeoutMs: callTimeoutMs },
  );
  if (!options.keep) {
    await client.deleteVm(name, { timeoutMs: callTimeoutMs });
  }
  const how = options.keep ? 'stopped' : 'deleted';
  out.data(
    { name, stopped: true, how, state: vm.state, exit: vm.exit },
    () =>
      `${name} ${vm.state}${options.keep ? ` (kept on ${client.server}: kindling stop ${name} --server … deletes it)` : ', deleted'}`,
  );
};

/** `api --server`: one request through the server's Firecracker passthrough; 4 when Firecracker refused it. */
export const sendRemoteApi = async (
  out: Output,
  flags: WithServer,
  request: { name: string; method: FirecrackerMethod; path: string; body: unknown },
): Promise<ExitCode> => {
  await using client = await connectServer(flags);
  const answer = await client.firecracker(request.name, request.method, request.path, request.body);
  out.data({ status: answer.status, body: answer.body ?? null }, () =>
    answer.body === undefined ? String(answer.status) : JSON.stringify(answer.body, null, 2),
  );
  return answer.status >= 400 ? EXIT_CODES.refused : EXIT_CODES.ok;
};

// The label ext-metrics' exporter names each VM's samples with.
const VM_LABEL = 'vm_id';

/**
 * `metrics NAME --server --prometheus`: the server's Prometheus text, only NAME's samples (and
 * the HELP and TYPE lines).
 */
export const printRemoteMetrics = async (
  io: CliIo,
  flags: WithServer,
  name: string,
): Promise<void> => {
  await using client = await connectServer(flags);
  await client.getVm(name);
  const text = await client.metrics({ timeoutMs: SERVER_CALL_TIMEOUT_MS });
  const label = `${VM_LABEL}=${JSON.stringify(name)}`;
  const lines = text
    .split('\n')
    .filter(
      (line) => line.startsWith('#') || line.includes(`{${label}`) || line.includes(`,${label}`),
    );
  io.stdout.write(`${lines.join('\n')}\n`);
};
