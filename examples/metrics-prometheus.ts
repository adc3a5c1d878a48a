// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

// Export a microVM's Firecracker metrics to Prometheus: read its metrics FIFO, observe each record
// into a prom-client registry, and serve it on /metrics for Prometheus to scrape.
//   METRICS_PORT=9464 node examples/metrics-prometheus.ts
import path from 'node:path';
import process from 'node:process';
import {
  FirecrackerMetricsExporter,
  readMetrics,
  serveMetrics,
  vmEnded,
} from '@kindling/ext-metrics';
import { Vm } from '@kindling/vm';
import { createScratchFolder, readEnvironment } from './environment.ts';

// The label of this VM's series (`vm_id="example"`).
const VM_LABEL = 'example';

const { installation, bootSource, socketWaitTimeoutMs } = readEnvironment();
await using scratch = await createScratchFolder('metrics');

const metricsPath = path.join(scratch.path, 'metrics.fifo');
await using vm = await Vm.prepare({
  installation,
  socketWaitTimeoutMs,
  configuration: {
    bootSource,
    machineConfig: { vcpu_count: 1, mem_size_mib: 128 },
    metrics: { metrics_path: metricsPath },
    // A named pipe: nothing piles up on disk.
    fifos: { metrics: true },
  },
});
await vm.start();

// Port 0 picks a free port; Prometheus would scrape a fixed one (METRICS_PORT).
const exporter = new FirecrackerMetricsExporter();
await using server = await serveMetrics(exporter.registry, {
  port: Number(process.env['METRICS_PORT'] ?? 0),
});
console.log(`serving ${server.url}`);

// Firecracker writes a line every 60 s, at exit, and when asked (FlushMetrics): observe the first.
const entries = await readMetrics(metricsPath, { until: vmEnded(vm) });
await vm.flushMetrics();
for await (const entry of entries) {
  exporter.observe(VM_LABEL, entry);
  if (entry.type === 'record') {
    // Leaving the loop stops reading, and closes the FIFO.
    break;
  }
}

// What Prometheus scrapes: a counter per delta field, a gauge per value, labelled by VM.
const page = await (await fetch(server.url)).text();
console.log(page.match(/^firecracker_put_api_requests_machine_cfg_count_total.*$/mu)?.[0]);
console.log(`exported VMs: ${exporter.vmIds.join(', ')}`);

// In a service, follow the VM until it ends: its reading ends then, and its series go.
const following = exporter.follow(VM_LABEL, await readMetrics(metricsPath, { until: vmEnded(vm) }));
await vm.shutdown();
await following;
console.log(`after shutdown: ${exporter.vmIds.length} VMs exported`);
