// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, readFileSync } from 'node:fs';
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { listLeftoverFiles, listLeftoverProcesses, TEST_WAIT_MS } from '@kindling/test-utils';
import { describe, expect, it } from 'vitest';
// The program that owns VMs through the SDK, shared with @kindling/ext-network's tests.
import { MIXED_FLEET, runFleetOwner } from '../../ext-network/test/support/fleet-owner-run.js';
import type { NetworkPlan } from '@kindling/ext-network';
import type { FleetOwnerConfig } from '../../ext-network/test/support/fleet-owner.js';
import { createCliFixture, type CliFixture } from './support/cli-fixture.js';
import { canManageNetwork, NET_ADMIN_NOTE, readHostNetwork } from './support/host-network.js';

// /proc/<pid>/stat field 22, the start time a state record names a process by.
const startTimeOf = (pid: number): number => {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19]);
};

// A `sleep` that has ended: its pid and start time name no process, as a dead owner's do.
const endedProcess = async (): Promise<{ pid: number; startTime: number }> => {
  const child = spawn('sleep', ['60'], { stdio: 'ignore' });
  await once(child, 'spawn');
  const identity = { pid: child.pid ?? -1, startTime: startTimeOf(child.pid ?? -1) };
  child.kill('SIGKILL');
  await once(child, 'exit');
  return identity;
};

interface ReconcileJson {
  readonly reconciled: readonly { pid: number }[];
  readonly networks: { readonly removed: readonly { vmId: string }[] };
}

const fleetConfigOf = (fixture: CliFixture): FleetOwnerConfig => ({
  installation: {
    firecrackerPath: fixture.env['KINDLING_FIRECRACKER'] ?? '',
    jailerPath: fixture.env['KINDLING_JAILER'] ?? '',
    snapshotEditorPath: fixture.env['KINDLING_SNAPSHOT_EDITOR'] ?? '',
  },
  dir: fixture.dir,
  stateDir: path.join(fixture.dir, 'state', 'processes'),
  kernelPath: fixture.kernel,
  vms: MIXED_FLEET,
});

/**
 * A running `sleep` and a record naming its pid with another start time, as if a recorded
 * Firecracker had ended and the pid had been given to this unrelated process since.
 */
const startStranger = async (stateDir: string): Promise<ChildProcess & { pid: number }> => {
  const stranger = spawn('sleep', ['60'], { stdio: 'ignore' });
  await once(stranger, 'spawn');
  const pid = stranger.pid ?? -1;
  const startTime = startTimeOf(pid) + 1;
  await writeFile(
    path.join(stateDir, `${pid}-${startTime}.json`),
    JSON.stringify({
      pid,
      startTime,
      owner: await endedProcess(),
      kind: 'detached',
      recordedAt: new Date().toISOString(),
    }),
    { mode: 0o600 },
  );
  return Object.assign(stranger, { pid });
};

// What `kindling reconcile` said of each pid (up to the first comma).
const verdictsOf = (stdout: string, pids: readonly number[]): (string | undefined)[] => {
  const lines = stdout.split('\n');
  return pids.map(
    (pid) => lines.find((line) => line.startsWith(`Firecracker pid ${pid}: `))?.split(',')[0],
  );
};

// The TAPs, namespaces and nft tables of these networks still on the host.
const piecesLeft = async (plans: readonly NetworkPlan[]): Promise<string[]> => {
  const host = await readHostNetwork();
  const present = new Set([...host.links, ...host.namespaces, ...host.tables]);
  return plans
    .flatMap((plan) => [
      plan.netns === undefined ? plan.tap : plan.netns.name,
      ...(plan.egress === undefined ? [] : [`ip ${plan.egress.hostTable}`]),
    ])
    .filter((name) => present.has(name));
};

describe.runIf(canManageNetwork)(
  `kindling reconcile after an SDK owner's SIGKILL${NET_ADMIN_NOTE}`,
  () => {
    it(
      'kills and removes its jailed and unrestricted VMs and their networks, and never touches a reused pid',
      async () => {
        await using fixture = await createCliFixture();
        // Searchable by a jail's dropped uid, which the fake jailer (no chroot) needs.
        await chmod(fixture.dir, 0o755);
        await mkdir(path.join(fixture.dir, 'run'));
        const config = fleetConfigOf(fixture);
        const run = await runFleetOwner(config, 'SIGKILL', async () => {});
        expect(await listLeftoverProcesses(run.pids)).toEqual(run.pids);
        const stranger = await startStranger(config.stateDir);
        try {
          // In words: what was found at each pid, and so what was done.
          const words = await fixture.run(['reconcile']);
          expect(words.code).toBe(0);
          expect(verdictsOf(words.stdout, [...run.pids, stranger.pid])).toEqual([
            ...run.pids.map((pid) => `Firecracker pid ${pid}: killed`),
            `Firecracker pid ${stranger.pid}: left alone (its pid now names another process)`,
          ]);
          expect(
            words.stdout
              .split('\n')
              .filter((line) => line.startsWith('network of '))
              .toSorted(),
          ).toEqual([
            expect.stringMatching(
              /^network of "free-net": TAP kt\w+, nft table kindling_\w+ removed$/u,
            ),
            expect.stringMatching(
              /^network of "jail-net": TAP tap0, namespace kindling-\w+, nft table kindling_\w+ removed$/u,
            ),
          ]);
          // The unrelated process was never signalled.
          expect([stranger.exitCode, stranger.signalCode]).toEqual([null, null]);
          expect(await fixture.json<ReconcileJson>(['reconcile'])).toMatchObject({
            reconciled: [],
            networks: { removed: [] },
          });
        } finally {
          stranger.kill('SIGKILL');
          await once(stranger, 'exit');
        }
        expect(await listLeftoverProcesses(run.pids)).toEqual([]);
        expect(run.files.filter((file) => existsSync(file))).toEqual([]);
        expect(await piecesLeft(run.networks)).toEqual([]);
        expect(
          await listLeftoverFiles(
            fixture.dir,
            /^(bin|state|run|jail|cgroup|vmlinux)$|^bin\/|^state\/processes(\/network)?$/u,
          ),
        ).toEqual([]);
      },
      4 * TEST_WAIT_MS,
    );
  },
);
