// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

// The benchmark's baseline (not a benchmark itself): create-to-running with the SDK directly,
// as the server does it: the same executor, socket folder, stdio, state records and metrics FIFO
// read by an exporter.

import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { UnrestrictedExecutor } from '@kindling/executor';
import { FirecrackerMetricsExporter, readMetrics } from '@kindling/ext-metrics';
import { Vm, type ApiVmConfiguration } from '@kindling/vm';
import { VmmArguments, VmmInstallation, type VmmInstallationPaths } from '@kindling/vmm-core';

/** A VM the baseline started: when it was running, and how to remove it. */
export interface BaselineVm {
  /** `performance.now()` once `start()` returned. */
  readonly runningAt: number;
  remove(): Promise<void>;
}

/** A function that makes and starts a VM as the server would, with the SDK alone. */
export const createSdkBaseline = (
  dir: string,
  paths: VmmInstallationPaths,
  configuration: ApiVmConfiguration,
): ((id: string) => Promise<BaselineVm>) => {
  const exporter = new FirecrackerMetricsExporter();
  return async (id) => {
    const folder = path.join(dir, id);
    await mkdir(folder);
    const metricsPath = path.join(folder, 'metrics.fifo');
    const vm = await Vm.prepare({
      executor: new UnrestrictedExecutor({
        vmmArguments: new VmmArguments({ id, apiSocket: path.join(folder, 'api.sock') }),
        stdio: 'ignore',
      }),
      installation: new VmmInstallation(paths),
      configuration: {
        ...configuration,
        metrics: { metrics_path: metricsPath },
        fifos: { metrics: true },
      },
      stateDir: path.join(folder, 'processes'),
      killOnSignal: false,
    });
    const ended = new Promise<void>((resolve) => {
      vm.addEventListener('exit', () => resolve());
    });
    void readMetrics(metricsPath, { until: ended }).then((entries) => exporter.follow(id, entries));
    await vm.start();
    return {
      runningAt: performance.now(),
      remove: async () => {
        await vm.shutdown([{ method: 'kill' }]);
        await vm.cleanup();
        exporter.removeVm(id);
        await rm(folder, { recursive: true, force: true });
      },
    };
  };
};
