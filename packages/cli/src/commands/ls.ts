// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import type { Command } from 'commander';
import type { CliContext } from '../context.js';
import { readVmRecords, requireVmRecord, type VmRecord } from '../host/vm-records.js';
import { connectApi } from '../context.js';
import { readVmStatus, type VmStatus } from '../vm/vm-status.js';
import {
  inspectRemoteVm,
  listRemoteVms,
  addServerOptions,
  type ServerFlags,
} from '../remote/remote.js';
import { defineAction, type ExitBox } from './command-kit.js';

/** Where the host reaches the guest, and its namespace when it has one; `-` without a network. */
const describeAddress = (record: VmRecord): string =>
  record.network === undefined
    ? '-'
    : `${record.network.reachableAddress}${record.network.netns === undefined ? '' : ` (${record.network.netns})`}`;

/** `kindling ls` and `kindling inspect`: the VMs this host runs, one or all. */
export const registerLs = (program: Command, context: CliContext, box: ExitBox): void => {
  addServerOptions(
    program
      .command('ls')
      .description('list the VMs kindling started on this host (or a server owns, with --server)')
      .option('--json', 'print them as a JSON array'),
  ).action(
    defineAction<ServerFlags, []>(context, box, async ({ out, options }) => {
      if (options.server !== undefined) {
        await listRemoteVms(out, { ...options, server: options.server });
        return;
      }
      const rows: (VmRecord & { state: VmStatus })[] = [];
      for (const record of await readVmRecords(context.paths)) {
        rows.push({ ...record, state: await readVmStatus(record) });
      }
      out.data(rows, () =>
        rows.length === 0
          ? 'No VMs: start one with `kindling run`'
          : out.table(
              ['NAME', 'STATE', 'PID', 'VCPUS', 'MEM MIB', 'MODE', 'ADDRESS', 'SOURCE'],
              rows.map((row) => [
                row.name,
                row.state === 'gone' ? out.style('yellow', 'gone (kindling reconcile)') : row.state,
                String(row.vmm.pid),
                String(row.vcpus ?? '-'),
                String(row.memMib ?? '-'),
                `${row.detached ? 'detached' : 'attached'}${row.jailed ? ', jailed' : ''}`,
                describeAddress(row),
                row.source,
              ]),
            ),
      );
    }),
  );
  addServerOptions(
    program
      .command('inspect <name>')
      .description('show a VM: its record, state and Firecracker configuration (GET /vm/config)')
      .option('--json', 'print it as JSON'),
  ).action(
    defineAction<ServerFlags, [string]>(context, box, async ({ out, options }, name) => {
      if (options.server !== undefined) {
        await inspectRemoteVm(out, { ...options, server: options.server }, name);
        return;
      }
      const record = await requireVmRecord(context.paths, name);
      const state = await readVmStatus(record);
      let configuration: unknown;
      if (state !== 'gone' && state !== 'unreachable') {
        await using api = connectApi(record);
        configuration = (await api.get('/vm/config')).body;
      }
      const inspected = { ...record, state, configuration };
      out.data(inspected, () =>
        [
          ...Object.entries({ ...record, state }).map(
            ([key, value]) =>
              `${out.style('bold', key.padEnd(12))} ${typeof value === 'object' ? JSON.stringify(value) : String(value)}`,
          ),
          ...(configuration === undefined
            ? []
            : [out.style('bold', 'configuration'), JSON.stringify(configuration, null, 2)]),
        ].join('\n'),
      );
    }),
  );
};
