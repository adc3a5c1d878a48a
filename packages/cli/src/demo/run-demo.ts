// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { vsockFetch } from '@kindling/ext-http-vsock';
import { Vm } from '@kindling/vm';
import { VmmInstallation } from '@kindling/vmm-core';
import type { Output } from '../output.js';
import { runStep, type StepTiming } from '../progress.js';
import { resolveDemoBackend, type DemoBackend } from './demo-backend.js';
import { waitForGuest } from './wait-for-guest.js';

/** What the demo takes. */
export interface DemoOptions {
  readonly fake: boolean;
  /** The line the guest prints once its services are up. */
  readonly marker: string;
  /** The guest's HTTP port over vsock (POST /ping answers { c: a * b }). */
  readonly port: number;
  readonly guestTimeoutMs: number;
  readonly socketWaitTimeoutMs: number;
}

/** What the demo did: its backend and each step with its time. */
export interface DemoReport {
  readonly backend: DemoBackend['kind'];
  readonly steps: readonly StepTiming[];
  readonly answers: readonly unknown[];
}

const GUEST_CID = 3;

const ping = async (vm: Vm, port: number): Promise<unknown> => {
  const response = await vsockFetch(vm, port, '/ping', {
    method: 'POST',
    body: JSON.stringify({ a: 6, b: 7 }),
  });
  return response.json();
};

/**
 * Boots a microVM, reaches its guest over vsock, snapshots it, restores a clone, reaches the
 * clone, and shuts both down, timing each step. Everything lives in a temporary folder, removed
 * at the end whatever happens.
 */
export const runDemo = async (out: Output, env: NodeJS.ProcessEnv, options: DemoOptions) => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'kindling-demo-'));
  const steps: StepTiming[] = [];
  const answers: unknown[] = [];
  try {
    const backend = await resolveDemoBackend(env, dir, options.fake);
    out.note(backend.headline);
    const installation = new VmmInstallation(backend.installation);
    await using vm = await runStep(
      out,
      'Boot a microVM',
      async () => {
        const prepared = await Vm.prepare({
          installation,
          socketWaitTimeoutMs: options.socketWaitTimeoutMs,
          stateDir: false,
          configuration: {
            bootSource: {
              kernel_image_path: backend.kernelPath,
              boot_args: 'console=ttyS0 reboot=k panic=1',
              ...(backend.initrdPath === undefined ? {} : { initrd_path: backend.initrdPath }),
            },
            machineConfig: { vcpu_count: 1, mem_size_mib: 128 },
            vsock: { guest_cid: GUEST_CID, uds_path: path.join(dir, 'vsock.sock') },
          },
        });
        await prepared.start();
        return prepared;
      },
      steps,
    );
    await runStep(out, 'Wait for the guest', () => waitForGuest(vm, options, backend), steps);
    answers.push(
      await runStep(out, 'Reach the guest over vsock', () => ping(vm, options.port), steps),
    );
    const snapshot = await runStep(
      out,
      'Snapshot it',
      async () => {
        await vm.pause();
        const made = await vm.createSnapshot({
          snapshotPath: path.join(dir, 'demo.state'),
          memPath: path.join(dir, 'demo.mem'),
        });
        await vm.resume();
        return made;
      },
      steps,
    );
    await using clone = await runStep(
      out,
      'Restore a clone',
      async () => {
        const restored = await Vm.restore(snapshot, {
          vsockOverride: { uds_path: path.join(dir, 'clone.sock') },
          resume: true,
          socketWaitTimeoutMs: options.socketWaitTimeoutMs,
          stateDir: false,
        });
        await restored.start();
        return restored;
      },
      steps,
    );
    answers.push(
      await runStep(out, 'Reach the clone over vsock', () => ping(clone, options.port), steps),
    );
    await runStep(
      out,
      'Shut both down',
      async () => {
        await Promise.all([clone.shutdown(), vm.shutdown()]);
        await Promise.all([clone.cleanup(), vm.cleanup()]);
      },
      steps,
    );
    const report: DemoReport = { backend: backend.kind, steps, answers };
    return report;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
};
