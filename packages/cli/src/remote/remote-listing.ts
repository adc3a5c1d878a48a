// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import type { VmInfo } from '@kindling/client';
import type { Output } from '../output.js';
import { connectServer, type ServerFlags } from './server-flags.js';

type WithServer = ServerFlags & { readonly server: string };

const describeLabels = (labels: Readonly<Record<string, string>>): string =>
  Object.entries(labels)
    .map(([key, value]) => `${key}=${value}`)
    .join(',') || '-';

/** A VM of a server in one line of text, for what a command did to it. */
export const describeRemoteVm = (vm: VmInfo, server: string): string =>
  `${vm.id} ${vm.state}${vm.pid === undefined ? '' : ` (Firecracker pid ${vm.pid})`} on ${server}`;

/** `ls --server`: the server's VMs, as a table or its `VmInfo` array. */
export const listRemoteVms = async (out: Output, flags: WithServer): Promise<void> => {
  await using client = await connectServer(flags);
  const vms = await client.listVms();
  out.data(vms, () =>
    vms.length === 0
      ? `No VMs on ${client.server}: start one with \`kindling run --server ${flags.server}\``
      : out.table(
          ['ID', 'STATE', 'PID', 'SOURCE', 'MODE', 'CREATED', 'LABELS'],
          vms.map((vm) => [
            vm.id,
            vm.state,
            vm.pid === undefined ? '-' : String(vm.pid),
            vm.source,
            `${vm.jailed ? 'jailed' : 'unrestricted'}${vm.adopted ? ', adopted' : ''}`,
            vm.createdAt,
            describeLabels(vm.labels),
          ]),
        ),
  );
};

/** `inspect --server`: the server's `VmInfo`, and Firecracker's configuration while it runs. */
export const inspectRemoteVm = async (
  out: Output,
  flags: WithServer,
  name: string,
): Promise<void> => {
  await using client = await connectServer(flags);
  const vm = await client.getVm(name);
  const configuration =
    vm.state === 'running' || vm.state === 'paused'
      ? (await client.firecracker(name, 'GET', '/vm/config')).body
      : undefined;
  out.data({ ...vm, configuration }, () =>
    [
      ...Object.entries(vm).map(
        ([key, value]) =>
          `${out.style('bold', key.padEnd(12))} ${typeof value === 'string' ? value : JSON.stringify(value)}`,
      ),
      ...(configuration === undefined
        ? []
        : [out.style('bold', 'configuration'), JSON.stringify(configuration, null, 2)]),
    ].join('\n'),
  );
};
