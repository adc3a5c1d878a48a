// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

// A warm pool (@kindling/ext-pool) whose slots are network namespaces (@kindling/ext-network),
// as root: only here may both extensions meet. VMM-level (a paused VM, a resume), so it runs on
// the fake and on a real Firecracker alike; the host must come back to where it was.
import { execFile } from 'node:child_process';
import { mkdir, readdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { createVmNetwork, type VmNetwork } from '@kindling/ext-network';
import { createVmPool } from '@kindling/ext-pool';
import {
  EXAMPLE_TEST_MS,
  createExampleFixture,
  createTempFolder,
  readReadmeExample,
  runTypeScriptExample,
  substituteExamplePaths,
  TEST_WAIT_MS,
  typeCheckExample,
  type TempFolder,
} from '@kindling/test-utils';
import type { VmTestHarness } from '@kindling/test-vm';
import type { VmSnapshot } from '@kindling/vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createE2eHarness,
  inNetwork,
  linkExists,
  namespaceOfProcess,
  noNetAdmin,
  noStartedVm,
  skipNote,
} from '../src/index.ts';
import { listProcessesOf } from '../src/host-census.ts';

const run = promisify(execFile);
const WAIT = { timeoutMs: TEST_WAIT_MS };
const REASON = noNetAdmin ?? noStartedVm;
const README = fileURLToPath(new URL('../../ext-pool/README.md', import.meta.url));
const PACKAGE_DIR = fileURLToPath(new URL('..', import.meta.url));

const jsonOf = async <T>(file: string, args: readonly string[], empty: T): Promise<T> => {
  const { stdout } = await run(file, args);
  return stdout.trim() === '' ? empty : (JSON.parse(stdout) as T);
};

const listNamespaces = async (): Promise<string[]> =>
  (await jsonOf<{ name: string }[]>('/usr/sbin/ip', ['-json', 'netns', 'list'], [])).map(
    (ns) => ns.name,
  );

describe.skipIf(REASON !== undefined)(
  `a warm pool with a namespace per VM${skipNote(REASON)}`,
  () => {
    // The networks' records in a folder of this file's own: its /30s never meet another run's.
    let state: TempFolder;
    let harness: VmTestHarness;
    let snapshot: VmSnapshot;
    beforeAll(async () => {
      state = await createTempFolder('kindling-e2e-pool-state-');
      harness = await createE2eHarness('pool');
      await using source = await createVmNetwork({ stateDir: state.path, namespace: true });
      const vm = await harness.prepare(
        inNetwork(source),
        source.apply(harness.configuration('source')),
      );
      // VMM-level: the pool resumes what was snapshotted, booted or not (a software KVM never is).
      await vm.start();
      await vm.pause();
      const made = await vm.createSnapshot({
        snapshotPath: harness.pathFor('made/vm.state'),
        memPath: harness.pathFor('made/vm.mem'),
      });
      snapshot = await made.copy({
        snapshotPath: harness.pathFor('kept/vm.state'),
        memPath: harness.pathFor('kept/vm.mem'),
      });
      await vm[Symbol.asyncDispose]();
    });
    afterAll(async () => {
      await harness[Symbol.asyncDispose]();
      await state[Symbol.asyncDispose]();
    });

    it('runs each pooled VM in its own namespace on tap0, keeps one on reset, and drains the host back', async () => {
      const made: VmNetwork[] = [];
      const pool = await createVmPool({
        snapshot,
        size: 3,
        prepareSlot: async ({ signal }) => {
          const network = await createVmNetwork({ stateDir: state.path, namespace: true, signal });
          made.push(network);
          return {
            network,
            // Each VM: Firecracker in the slot's namespace, a vsock socket of its own.
            restoreOptions: ({ sequence }) => ({
              ...inNetwork(network).create(harness.dir, harness.installation, `pool${sequence}`),
              vsockOverride: { uds_path: harness.pathFor(`pool${sequence}/v.sock`) },
            }),
            [Symbol.asyncDispose]: () => network[Symbol.asyncDispose](),
          };
        },
        restoreOptions: {
          stateDir: false,
          socketWaitTimeoutMs: TEST_WAIT_MS,
          shutdownActions: [{ method: 'kill' }],
        },
      });
      try {
        await pool.waitUntilFull(WAIT);
        const [a, b, c] = [
          await pool.acquire(WAIT),
          await pool.acquire(WAIT),
          await pool.acquire(WAIT),
        ];
        const vms = [a, b, c];
        const networks = vms.map((vm) => pool.slotOf(vm)?.network);
        expect(vms.map((vm) => vm.state)).toEqual(['running', 'running', 'running']);
        expect(new Set(networks.map((network) => network?.netns)).size).toBe(3);
        for (const [index, vm] of vms.entries()) {
          const netns = networks[index]?.netns;
          expect(await namespaceOfProcess(vm.pid)).toBe(netns);
          expect(await linkExists('tap0', netns)).toBe(true);
        }
        // Released: the VM and its namespace go; with reset the namespace stays for a fresh VM.
        const [first, second] = networks;
        await pool.release(a);
        expect(await listNamespaces()).not.toContain(first?.netns);
        await pool.release(b, { reset: true });
        expect(await listNamespaces()).toContain(second?.netns);
        expect(await linkExists('tap0', second?.netns)).toBe(true);
        await pool.waitUntilFull(WAIT);
        const next = await pool.acquire(WAIT);
        expect(pool.slotOf(next)?.network.netns).not.toBe(second?.netns);
        await pool.waitUntilFull(WAIT);
        expect(pool.stats).toMatchObject({ ready: 3, acquired: 2, spareSlots: 0 });
        // The refill after the last acquisition took the kept namespace: no new one was made for it.
        expect(made.length).toBe(6);
      } finally {
        await pool.drain();
      }
      expect(pool.stats).toMatchObject({ state: 'drained', ready: 0, acquired: 0, spareSlots: 0 });
      // This test's names only: other programs on the host may make and remove theirs meanwhile.
      const namespacesAfter = new Set(await listNamespaces());
      expect(made.filter((network) => namespacesAfter.has(String(network.netns)))).toEqual([]);
      for (const network of made) {
        expect(await linkExists(String(network.plan.netns?.vethHost))).toBe(false);
      }
      expect(await readdir(state.path, { recursive: true })).toEqual(['network']);
      expect(await listProcessesOf(harness.dir)).toEqual([]);
    });
  },
);

describe.skipIf(noNetAdmin !== undefined)(
  `ext-pool's README: a namespace per VM${skipNote(noNetAdmin)}`,
  () => {
    it('type-checks as a user would compile it, against the built packages', async () => {
      const code = await readReadmeExample(README, '## A network namespace per VM');
      expect(await typeCheckExample(code, PACKAGE_DIR)).toBe('');
    });

    it(
      'runs as written against the fakes, and leaves no network record or process',
      async () => {
        await using fixture = await createExampleFixture('kindling-e2e-pool-readme-');
        // Its default state folder (records of networks and VMs) and sockets go in the fixture:
        // a network whose namespace, veth or nft table could not be removed keeps its record.
        const tmpdir = path.join(fixture.dir, 'tmpdir');
        await mkdir(tmpdir);
        const code = substituteExamplePaths(
          await readReadmeExample(README, '## A network namespace per VM'),
          fixture.paths,
        );
        const stdout = await runTypeScriptExample(code, {
          cwd: PACKAGE_DIR,
          env: { TMPDIR: tmpdir },
        });
        // What the README's comments say each line prints.
        expect(stdout).toBe('running running tap0 tap0\ntrue\n2 1\n');
        const entries = await readdir(tmpdir, { recursive: true });
        expect(entries).toContain(
          path.join(`kindling-${String(process.getuid?.())}`, 'processes', 'network'),
        );
        expect(entries).toEqual(expect.not.arrayContaining([expect.stringMatching(/\.json$/u)]));
        expect(await listProcessesOf(fixture.dir)).toEqual([]);
      },
      EXAMPLE_TEST_MS,
    );
  },
);
