// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

// Run as root with Node 24 after a build: `node bench/network.bench.ts` (from packages/ext-network).
// The time to set up and to tear down a VM's network: one VM (a TAP; a namespace with veth, NAT
// and egress), then twenty VMs at once, each with its own namespace and egress. Each figure is the
// median (and the p95) of several runs, against a private state folder.

import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createVmNetwork, type VmNetwork, type VmNetworkOptions } from '@kindling/ext-network';
import { recordFigure, sampleCount, timeOnce } from '../../../tooling/bench-stats.ts';

const RUNS = sampleCount(10, 4);
const CONCURRENT_RUNS = sampleCount(3, 1);
const CONCURRENT_VMS = 20;

const record = (what: string, setUp: readonly number[], tearDown: readonly number[]): void => {
  recordFigure({ name: `ext-network: set up, ${what}`, unit: 'ms', samples: setUp });
  recordFigure({ name: `ext-network: tear down, ${what}`, unit: 'ms', samples: tearDown });
};

const benchOne = async (label: string, options: VmNetworkOptions): Promise<void> => {
  const setUp: number[] = [];
  const tearDown: number[] = [];
  for (let run = 0; run < RUNS; run += 1) {
    let network: VmNetwork | undefined;
    setUp.push(
      await timeOnce(async () => {
        network = await createVmNetwork(options);
      }),
    );
    tearDown.push(await timeOnce(() => network?.dispose() ?? Promise.resolve()));
  }
  record(`one VM, ${label}`, setUp, tearDown);
};

const benchMany = async (options: VmNetworkOptions): Promise<void> => {
  const setUp: number[] = [];
  const tearDown: number[] = [];
  for (let run = 0; run < CONCURRENT_RUNS; run += 1) {
    let networks: VmNetwork[] = [];
    setUp.push(
      await timeOnce(async () => {
        networks = await Promise.all(
          Array.from({ length: CONCURRENT_VMS }, () => createVmNetwork(options)),
        );
      }),
    );
    tearDown.push(await timeOnce(() => Promise.all(networks.map((network) => network.dispose()))));
  }
  record(`${CONCURRENT_VMS} VMs at once (all of them), namespace + egress`, setUp, tearDown);
};

if (process.getuid?.() !== 0 || !existsSync('/usr/sbin/ip') || !existsSync('/usr/sbin/nft')) {
  console.log('ext-network bench skipped: needs root (CAP_NET_ADMIN) and ip and nft in /usr/sbin');
} else {
  const stateDir = await mkdtemp(path.join(os.tmpdir(), 'kindling-network-bench-'));
  try {
    await benchOne('TAP only', { stateDir });
    await benchOne('namespace + veth + NAT + egress', { stateDir, namespace: true, egress: true });
    await benchMany({ stateDir, namespace: true, egress: true });
  } finally {
    await rm(stateDir, { recursive: true, force: true });
  }
}
