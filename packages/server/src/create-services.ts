// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { FirecrackerMetricsExporter } from '@kindling/ext-metrics';
import { VmmInstallation } from '@kindling/vmm-core';
import { MetricsFollower } from './metrics-follower.js';
import { recoverVms } from './recover-vms.js';
import type { ResolvedServerConfig } from './server-config.js';
import { VmEventHub } from './vm-events.js';
import { VmRecords } from './vm-records.js';
import { VmRegistry } from './vm-registry.js';

// The package's version, as `GET /v1/health` reports it.
const VERSION = (
  JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
    version: string;
  }
).version;

/**
 * What the routes share, with the VMs a previous server left already found: running ones
 * re-adopted, dead ones cleaned up.
 */
export const createServices = async (
  config: ResolvedServerConfig,
  stopping: AbortSignal,
): Promise<{
  config: ResolvedServerConfig;
  registry: VmRegistry;
  events: VmEventHub;
  exporter: FirecrackerMetricsExporter;
  stopping: AbortSignal;
  startedAt: number;
  version: string;
}> => {
  const installation = new VmmInstallation(config.installation);
  const events = new VmEventHub();
  const exporter = new FirecrackerMetricsExporter();
  const records = new VmRecords(config.stateDir);
  const registry = new VmRegistry(
    { config, installation },
    records,
    events,
    new MetricsFollower(exporter),
  );
  await recoverVms(records, registry, stopping);
  return {
    config,
    registry,
    events,
    exporter,
    stopping,
    startedAt: performance.now(),
    version: VERSION,
  };
};
