// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import type { CreateVmRequest, ExecutorRequest } from '@kindling/client';
import type { Output } from '../output.js';
import { runStep } from '../progress.js';
import type { CreateFlags } from '../vm/create-snapshot.js';
import { itemsFromFlags, parseInteger, type RunFlags } from '../vm/run-options.js';
import { describeRemoteVm } from './remote-listing.js';
import { connectServer, notWithServer, type ServerFlags } from './server-flags.js';

type WithServer = ServerFlags & { readonly server: string };

const executorOf = (flags: RunFlags): ExecutorRequest =>
  flags.jailed === true
    ? {
        kind: 'jailed',
        uid: parseInteger('--uid', flags.uid, 0, 4_294_967_294),
        gid: parseInteger('--gid', flags.gid, 0, 4_294_967_294),
      }
    : { kind: 'unrestricted' };

// A server's network and vsock come from its own configuration; paths are the server's, as given.
const refuseLocalOnly = (flags: RunFlags): void => {
  for (const [flag, set] of [
    ['--network', flags.network],
    ['--netns', flags.netns],
    ['--egress', flags.egress],
    ['--pool', flags.pool !== undefined],
  ] as const) {
    if (set === true) {
      throw notWithServer(flag, "a VM's network is given in its configuration on the server");
    }
  }
  if (flags.vsockCid !== undefined) {
    throw notWithServer('--vsock-cid', 'give the vsock device in a --config file on the server');
  }
};

const createOnServer = async (
  out: Output,
  flags: WithServer,
  request: CreateVmRequest,
): Promise<void> => {
  await using client = await connectServer(flags);
  const vm = await runStep(
    out,
    `Creating VM${request.id === undefined ? '' : ` "${request.id}"`} on ${client.server}`,
    () => client.createVm(request),
  );
  out.data(vm, () =>
    [
      describeRemoteVm(vm, client.server),
      `stop it with: kindling stop ${vm.id} --server ${flags.server}`,
    ].join('\n'),
  );
};

/**
 * `run --server`: the server creates and starts the VM from its config file (`--config`, a path on
 * the server) or from the flags; it runs on the server, so there is no attached mode.
 */
export const runOnServer = (out: Output, flags: RunFlags & WithServer): Promise<void> => {
  refuseLocalOnly(flags);
  if (flags.config !== undefined && flags.kernel !== undefined) {
    throw notWithServer('--kernel', 'give either --config or --kernel, not both');
  }
  return createOnServer(out, flags, {
    ...(flags.name === undefined ? {} : { id: flags.name }),
    executor: executorOf(flags),
    source:
      flags.config === undefined
        ? { kind: 'config', configuration: itemsFromFlags(flags, (file) => file) }
        : { kind: 'config-file', path: flags.config },
  });
};

/** `snapshot restore --server`: the server starts a new VM from a snapshot's files (its paths). */
export const restoreOnServer = (
  out: Output,
  flags: RunFlags & CreateFlags & WithServer & { resume?: boolean; vsock?: string },
): Promise<void> => {
  if (flags.vsock !== undefined) {
    throw notWithServer('--vsock', 'the server restores the vsock device as the snapshot has it');
  }
  return createOnServer(out, flags, {
    ...(flags.name === undefined ? {} : { id: flags.name }),
    executor: executorOf(flags),
    source: {
      kind: 'snapshot',
      snapshotPath: flags.snapshot,
      memoryPath: flags.mem,
      resume: flags.resume === true,
    },
  });
};

/** `snapshot create --server`: the server writes the snapshot (paths under its folders). */
export const snapshotOnServer = async (
  out: Output,
  flags: CreateFlags & WithServer,
  name: string,
): Promise<void> => {
  await using client = await connectServer(flags);
  const made = await runStep(out, `Snapshotting "${name}" on ${client.server}`, () =>
    client.createSnapshot(name, {
      snapshotPath: flags.snapshot,
      memoryPath: flags.mem,
      type: flags.diff === true ? 'Diff' : 'Full',
    }),
  );
  const result = {
    name,
    snapshotPath: made.snapshotPath,
    memPath: made.memoryPath,
    type: made.type,
  };
  out.data(
    result,
    () => `${made.type} snapshot of ${name}: ${made.snapshotPath} ${made.memoryPath}`,
  );
};
