// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { setTimeout as sleep } from 'node:timers/promises';
import type { Command } from 'commander';
import { FirecrackerMetricsExporter, readMetrics, type MetricsRecord } from '@kindling/ext-metrics';
import { connectApi, type CliContext } from '../context.js';
import { requireVmRecord, type VmRecord } from '../host/vm-records.js';
import type { Output } from '../output.js';
import { parseInteger } from '../vm/run-options.js';
import { defineAction, type ExitBox } from './command-kit.js';
import {
  printRemoteMetrics,
  addServerOptions,
  notWithServer,
  type ServerFlags,
} from '../remote/remote.js';

interface MetricsFlags extends ServerFlags {
  readonly prometheus?: boolean;
  readonly watch?: boolean;
  readonly interval: string;
  readonly all?: boolean;
}

// Firecracker writes a line every 60 s by itself: a flush makes one now.
const readLatest = async (record: VmRecord): Promise<MetricsRecord | undefined> => {
  {
    await using api = connectApi(record);
    await api.put('/actions', { action_type: 'FlushMetrics' });
  }
  let latest: MetricsRecord | undefined;
  for await (const entry of await readMetrics(record.metricsPath, { until: Promise.resolve() })) {
    if (entry.type === 'record') {
      latest = entry;
    }
  }
  return latest;
};

const renderTable = (out: Output, record: MetricsRecord | undefined, all: boolean): string => {
  if (record === undefined) {
    return 'No metrics written yet';
  }
  const rows: string[][] = [];
  for (const [group, fields] of Object.entries(record.groups)) {
    for (const [field, value] of Object.entries(fields)) {
      if (all || value !== 0) {
        rows.push([group, field, String(value)]);
      }
    }
  }
  const at = record.timestampMs === undefined ? '' : new Date(record.timestampMs).toISOString();
  return `metrics at ${at} (${all ? 'every field' : 'fields that are not 0; --all for every one'})\n${out.table(['GROUP', 'FIELD', 'VALUE'], rows)}`;
};

const renderPrometheus = (name: string, record: MetricsRecord | undefined): Promise<string> => {
  const exporter = new FirecrackerMetricsExporter();
  if (record !== undefined) {
    exporter.observe(name, record);
  }
  return exporter.registry.metrics();
};

/** `kindling metrics <name>`: the VM's latest metrics as a table, JSON or Prometheus text. */
export const registerMetrics = (program: Command, context: CliContext, box: ExitBox): void => {
  addServerOptions(
    program
      .command('metrics <name>')
      .description("show a VM's Firecracker metrics (flushed now)")
      .option('--prometheus', 'print the Prometheus text exposition instead')
      .option('-w, --watch', 'refresh every --interval until Ctrl-C or the VM ends')
      .option('--interval <ms>', 'with --watch: how often', '2000')
      .option('--all', 'show fields that are 0 too')
      .option('--json', 'print the latest record as JSON'),
  ).action(
    defineAction<MetricsFlags, [string]>(context, box, async ({ out, options }, name) => {
      if (options.server !== undefined) {
        if (options.prometheus !== true || options.watch === true) {
          throw notWithServer(
            options.watch === true ? '--watch' : '--prometheus missing',
            'the server exports Prometheus text only: give --prometheus, without --watch',
          );
        }
        await printRemoteMetrics(context.io, { ...options, server: options.server }, name);
        return;
      }
      const record = await requireVmRecord(context.paths, name);
      const intervalMs = parseInteger('--interval', options.interval, 100, 3_600_000);
      for (;;) {
        const latest = await readLatest(record);
        if (options.prometheus === true) {
          context.io.stdout.write(await renderPrometheus(name, latest));
        } else {
          if (options.watch === true && context.io.stdout.isTTY === true) {
            // Clears the screen so the table refreshes in place.
            context.io.stdout.write('\u001B[2J\u001B[H');
          }
          out.data(latest ?? null, () => renderTable(out, latest, options.all === true));
        }
        if (options.watch !== true) {
          return;
        }
        await sleep(intervalMs);
      }
    }),
  );
};
