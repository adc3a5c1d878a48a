// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { existsSync } from 'node:fs';
import path from 'node:path';
import { reconcileNetwork } from '@kindling/ext-network';
import { writeFakeKernel } from '@kindling/fake-vmm';
import { reconcile } from '@kindling/process';
import {
  FakeInstallationFolder,
  listLeftoverFiles,
  listLeftoverProcesses,
  TEST_WAIT_MS,
} from '@kindling/test-utils';
import { describe, expect, it } from 'vitest';
import type { FleetOwnerConfig } from './support/fleet-owner.js';
import { MIXED_FLEET, runFleetOwner } from './support/fleet-owner-run.js';
import {
  canManageNetwork,
  linkExists,
  namespaceOf,
  NET_ADMIN_NOTE,
  netnsNames,
  nftRuleset,
  nftTables,
  readHostView,
  required,
} from './support/host-view.js';

// What the folder holds besides what the VMs leave: the installation, the kernel, and the
// folders every run shares (the records folder of networks stays, empty).
const SET_UP = /^(bin|state|run|jail|cgroup|vmlinux)$|^bin\/|^state\/(network|processes)$/u;

const createFleet = async (): Promise<{
  folder: FakeInstallationFolder;
  config: FleetOwnerConfig;
}> => {
  // Searchable by a jail's dropped uid, which the fake jailer (no chroot) needs.
  const folder = await FakeInstallationFolder.create({
    prefix: 'kindling-network-owner-',
    mode: 0o755,
  });
  return {
    folder,
    config: {
      installation: {
        firecrackerPath: folder.installation.firecrackerPath,
        jailerPath: folder.installation.jailerPath,
        snapshotEditorPath: folder.installation.snapshotEditorPath,
      },
      dir: folder.dir,
      stateDir: path.join(folder.dir, 'state'),
      kernelPath: await writeFakeKernel(path.join(folder.dir, 'vmlinux')),
      vms: MIXED_FLEET,
    },
  };
};

const hostTablesOf = (plans: readonly { egress?: { hostTable: string } }[]): string[] =>
  plans.flatMap((plan) => (plan.egress === undefined ? [] : [`ip ${plan.egress.hostTable}`]));

describe.runIf(canManageNetwork)(
  `a Node owner of networked VMs going down${NET_ADMIN_NOTE}`,
  () => {
    it(
      'SIGTERMed, takes every Firecracker, file, TAP, namespace, nft table and record down with it',
      async () => {
        const before = await readHostView();
        const fleet = await createFleet();
        await using folder = fleet.folder;
        const { config } = fleet;
        const run = await runFleetOwner(config, 'SIGTERM', async (report) => {
          expect(report.networks).toHaveLength(2);
          expect(report.files.filter((file) => !existsSync(file))).toEqual([]);
          expect(nftTables(await nftRuleset())).toEqual(
            expect.arrayContaining(hostTablesOf(report.networks)),
          );
        });
        expect(run.signal).toBe('SIGTERM');
        // Every Firecracker was dead by the time the owner's exit could be seen.
        expect(run.aliveAtExit).toEqual([]);
        expect(run.exitAfterSignalMs).toBeLessThan(TEST_WAIT_MS);
        console.info(
          `networked owner, SIGTERM: exit ${run.exitAfterSignalMs.toFixed(1)} ms after the signal, Firecrackers alive at exit: ${run.aliveAtExit.length}`,
        );
        // The host is as it was: links, namespaces, nft ruleset and ip_forward.
        expect(await readHostView()).toEqual(before);
        expect(run.files.filter((file) => existsSync(file))).toEqual([]);
        expect(await listLeftoverFiles(folder.dir, SET_UP)).toEqual([]);
        // Nothing is left for the reconcilers.
        expect(await reconcile({ stateDir: config.stateDir })).toEqual({
          reconciled: [],
          skipped: 0,
        });
        expect(await reconcileNetwork({ stateDir: config.stateDir })).toEqual({
          removed: [],
          skipped: 0,
        });
      },
      4 * TEST_WAIT_MS,
    );

    it(
      'SIGKILLed, leaves it all to reconcile() and reconcileNetwork(), which remove it all',
      async () => {
        const before = await readHostView();
        const fleet = await createFleet();
        await using folder = fleet.folder;
        const { config } = fleet;
        const run = await runFleetOwner(config, 'SIGKILL', async () => {});
        expect(run.signal).toBe('SIGKILL');
        // SIGKILL runs no hook: every Firecracker, file and network is still there.
        expect(await listLeftoverProcesses(run.pids)).toEqual(run.pids);
        expect(run.files.filter((file) => !existsSync(file))).toEqual([]);
        const [plain, namespaced] = run.networks;
        expect(await linkExists(required(plain, 'a plain network').tap)).toBe(true);
        expect(await netnsNames()).toContain(
          namespaceOf(required(namespaced, 'a network in a namespace')).name,
        );

        const report = await reconcile({ stateDir: config.stateDir });
        expect(report.skipped).toBe(0);
        expect(
          Object.fromEntries(
            report.reconciled.map((item) => [item.pid, [item.killed, item.found]]),
          ),
        ).toEqual(Object.fromEntries(run.pids.map((pid) => [pid, [true, 'running']])));
        // Sockets, logs and metrics FIFOs, each VM's own.
        expect(report.reconciled.flatMap((item) => item.removedPaths)).toEqual(
          expect.arrayContaining([...run.files]),
        );
        expect(await listLeftoverProcesses(run.pids)).toEqual([]);
        const networks = await reconcileNetwork({ stateDir: config.stateDir });
        expect(networks.removed.map((plan) => plan.vmId).toSorted()).toEqual([
          'free-net',
          'jail-net',
        ]);
        expect(await readHostView()).toEqual(before);
        expect(await listLeftoverFiles(folder.dir, SET_UP)).toEqual([]);
      },
      4 * TEST_WAIT_MS,
    );
  },
);
