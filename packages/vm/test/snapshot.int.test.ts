// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { existsSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { TEST_WAIT_MS } from '@kindling/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Vm, type VmConfiguration, type VmSnapshot } from '../src/index.js';
import {
  SETUPS,
  basicConfiguration,
  createVmHarness,
  isRoot,
  jailed,
  jailedAs,
  unrestricted,
  type ExecutorSetup,
  type VmHarness,
} from './support/vm-harness.js';

let harness: VmHarness;
beforeAll(async () => {
  harness = await createVmHarness();
});
afterAll(async () => {
  await harness.dispose();
});

const snapshottable = (name: string): VmConfiguration => ({
  ...basicConfiguration(harness),
  machineConfig: { vcpu_count: 1, mem_size_mib: 128, track_dirty_pages: true },
  networkInterfaces: [{ iface_id: 'eth0', host_dev_name: harness.tap('tap0') }],
  vsock: { guest_cid: 3, uds_path: harness.pathFor(`${name}/v.sock`) },
  mmdsConfig: { version: 'V2', network_interfaces: ['eth0'] },
});

// The TAP devices of a VM's network interfaces.
const tapsOf = (config: Awaited<ReturnType<Vm['getVmConfig']>>): string[] =>
  (config['network-interfaces'] ?? []).map((iface) => iface.host_dev_name);

// Boots a VM, pauses it and snapshots it.
const snapshotOf = async (
  setup: ExecutorSetup,
  name: string,
  configuration: VmConfiguration = snapshottable(name),
): Promise<{ vm: Vm; snapshot: VmSnapshot }> => {
  const vm = await harness.prepare(setup, configuration);
  await vm.start();
  await vm.pause();
  const snapshot = await vm.createSnapshot({
    snapshotPath: harness.pathFor(`${name}/snap/vm.state`),
    memPath: harness.pathFor(`${name}/snap/vm.mem`),
  });
  return { vm, snapshot };
};

const restore = async (
  setup: ExecutorSetup,
  snapshot: VmSnapshot,
  name: string,
  resume = true,
): Promise<Vm> => {
  const { executor, ownership } = setup.create(harness, harness.nextId());
  const vm = harness.track(
    await Vm.restore(snapshot, {
      executor,
      ownership,
      stateDir: false,
      resume,
      // The SDK's 5 s default is for a machine at rest; tests run beside other packages' tests.
      socketWaitTimeoutMs: TEST_WAIT_MS,
      networkOverrides: [{ iface_id: 'eth0', host_dev_name: harness.tap('tap9') }],
      vsockOverride: { uds_path: harness.pathFor(`${name}/v.sock`) },
    }),
  );
  await vm.start();
  return vm;
};

describe.each(SETUPS)('snapshots, $name', (setup: ExecutorSetup) => {
  const { tag } = setup;

  describe.concurrent('restoring', () => {
    it('pauses, snapshots and resumes, and the snapshot files are where it says', async () => {
      const { vm, snapshot } = await snapshotOf(setup, `${tag}-round`);
      expect(snapshot.type).toBe('Full');
      expect(snapshot.snapshotPath).toBe(
        vm.resolveEffectivePath(harness.pathFor(`${tag}-round/snap/vm.state`)),
      );
      expect((await stat(snapshot.memPath)).size).toBe(128 * 1024 * 1024);
      expect(snapshot.deviceFiles).toEqual([
        {
          hostPath: vm.resolveEffectivePath(harness.rootfsPath),
          virtualPath: setup.seenPath(harness.rootfsPath),
          originalPath: harness.rootfsPath,
        },
      ]);
      await vm.resume();
      expect(vm.state).toBe('running');
      await vm.pause();
      const diff = await vm.createSnapshot({
        type: 'Diff',
        snapshotPath: harness.pathFor(`${tag}-round/snap/diff.state`),
        memPath: harness.pathFor(`${tag}-round/snap/vm.mem`),
      });
      expect(diff.type).toBe('Diff');
      expect(diff.memPath).toBe(snapshot.memPath);
      await vm.shutdown();
      await vm.cleanup();
      expect(existsSync(snapshot.snapshotPath)).toBe(false);
    });

    it('restores while the original runs, with network and vsock overrides', async () => {
      const { vm: original, snapshot } = await snapshotOf(setup, `${tag}-live`);
      await original.resume();
      const restored = await restore(setup, snapshot, `${tag}-live-copy`);
      expect(restored.state).toBe('running');
      expect(original.state).toBe('running');
      const config = await restored.getVmConfig();
      expect(config['network-interfaces']).toEqual([expect.objectContaining({ iface_id: 'eth0' })]);
      // The override's TAP, not the original's: both VMs run side by side.
      expect(tapsOf(config)).not.toEqual(tapsOf(await original.getVmConfig()));
      expect(config['boot-source']).toMatchObject({
        // Firecracker keeps the snapshotted VM's boot source after a load.
        kernel_image_path: setup.seenPath(harness.kernelPath),
      });
      expect(
        existsSync(restored.resolveEffectivePath(harness.pathFor(`${tag}-live-copy/v.sock`))),
      ).toBe(true);
      expect((await restored.getMachineConfig()).mem_size_mib).toBe(128);
      await restored.shutdown();
      await restored.cleanup();
      await original.shutdown();
      await original.cleanup();
    });

    it('restores paused without resume, and after the original has exited', async () => {
      const { vm: original, snapshot } = await snapshotOf(setup, `${tag}-gone`);
      await original.shutdown([{ method: 'kill' }]);
      expect(original.state).toBe('exited');
      const restored = await restore(setup, snapshot, `${tag}-gone-copy`, false);
      expect(restored.state).toBe('paused');
      await restored.resume();
      expect((await restored.getInfo()).state).toBe('Running');
      await restored.shutdown();
      await original.cleanup();
    });

    it('restores a copy after the original was cleaned up', async () => {
      const { vm: original, snapshot } = await snapshotOf(setup, `${tag}-copied`);
      const copy = await snapshot.copy({
        snapshotPath: harness.pathFor(`${tag}-copied.state`),
        memPath: harness.pathFor(`${tag}-copied.mem`),
      });
      expect(copy.snapshotPath).toBe(harness.pathFor(`${tag}-copied.state`));
      await original.shutdown();
      await original.cleanup();
      expect(existsSync(snapshot.memPath)).toBe(false);
      expect(existsSync(copy.memPath)).toBe(true);
      const restored = await restore(setup, copy, `${tag}-copied-new`);
      expect(restored.state).toBe('running');
      await restored.shutdown();
      await restored.cleanup();
      // The copies are the caller's: the restored VM leaves them alone.
      expect(existsSync(copy.memPath)).toBe(true);
    });

    it('refuses the wrong states and a restore-time boot resource', async () => {
      const { vm, snapshot } = await snapshotOf(setup, `${tag}-states`);
      await expect(vm.pause()).rejects.toMatchObject({
        code: 'ERR_WRONG_STATE',
        message: 'vm.pause() needs the VM to be "running", but it is "paused"',
      });
      await vm.resume();
      await expect(vm.createSnapshot()).rejects.toMatchObject({
        code: 'ERR_WRONG_STATE',
        message: 'vm.createSnapshot() needs the VM to be "paused", but it is "running"',
      });
      const { executor, ownership } = setup.create(harness, harness.nextId());
      const restored = harness.track(
        await Vm.restore(snapshot, {
          executor,
          ownership,
          stateDir: false,
          socketWaitTimeoutMs: TEST_WAIT_MS,
          vsockOverride: { uds_path: harness.pathFor(`${tag}-states-copy/v.sock`) },
          // The original runs: the copy needs a TAP of its own (a real one is busy otherwise).
          networkOverrides: [{ iface_id: 'eth0', host_dev_name: harness.tap('tap8') }],
          configuration: { logger: { log_path: harness.pathFor(`${tag}-states-logs/fc.log`) } },
        }),
      );
      await restored.start({ boot: false });
      await expect(restored.putVsock({ guest_cid: 9, uds_path: '/v.sock' })).rejects.toMatchObject({
        code: 'ERR_WRONG_STATE',
        message: expect.stringContaining('and not restoring a snapshot'),
      });
      await restored.putMmds({ restored: true });
      await restored.boot();
      expect(restored.state).toBe('paused');
      expect(await restored.getMmds()).toEqual({ restored: true });
    });
  });
});

describe('restoring into another kind of executor', () => {
  it('refuses a jailed snapshot whose drive would land elsewhere, before spawning', async () => {
    const { snapshot } = await snapshotOf(jailed, 'mismatch');
    const { executor } = unrestricted.create(harness, harness.nextId());
    await expect(
      Vm.restore(snapshot, {
        executor,
        ownership: { kind: 'shared' },
        stateDir: false,
        vsockOverride: { uds_path: harness.pathFor('mismatch-copy/v.sock') },
      }),
    ).rejects.toMatchObject({
      code: 'ERR_RESTORE_PATH_MISMATCH',
      message: expect.stringMatching(
        /^Vm\.prepare\(\): the snapshot recorded the device file (\/\S+\/rootfs\.ext4) at \/rootfs\.ext4, the path its Firecracker opened, but this UnrestrictedExecutor would have Firecracker open it at \1: restore with a JailedExecutor and the same VirtualPathResolver as the snapshotted VM, so that the file lands at \/rootfs\.ext4 again$/u,
      ),
    });
  });

  it('refuses an unrestricted snapshot restored into a jail, and says to restore unrestricted', async () => {
    const { snapshot } = await snapshotOf(unrestricted, 'mismatch-back');
    const { executor, ownership } = jailed.create(harness, harness.nextId());
    await expect(
      Vm.restore(snapshot, {
        executor,
        ownership,
        stateDir: false,
        vsockOverride: { uds_path: '/v.sock' },
      }),
    ).rejects.toMatchObject({
      code: 'ERR_RESTORE_PATH_MISMATCH',
      message: expect.stringMatching(
        /^Vm\.prepare\(\): the snapshot recorded the device file (\/\S+\/rootfs\.ext4) at \1, the path its Firecracker opened, but this JailedExecutor would have Firecracker open it at \/rootfs\.ext4: restore with an UnrestrictedExecutor, as the snapshotted VM had, so that Firecracker opens the file where it is$/u,
      ),
    });
  });
});

describe("copying a downgraded VM's snapshot", () => {
  it.skipIf(!isRoot)(
    'gives the copies to the caller, or to the owner asked for [root only: a jail as uid 1000]',
    async () => {
      // No network: the harness's TAP devices (for a real Firecracker) belong to the usual jail user.
      const { vm, snapshot } = await snapshotOf(
        jailedAs({ uid: 1000, gid: 1000 }),
        'owned',
        basicConfiguration(harness),
      );
      // Firecracker, as the jail's user, wrote them.
      expect(await stat(snapshot.memPath)).toMatchObject({ uid: 1000, gid: 1000 });
      const mine = await snapshot.copy({
        snapshotPath: harness.pathFor('owned-mine.state'),
        memPath: harness.pathFor('owned-mine.mem'),
      });
      const caller = { uid: process.geteuid?.(), gid: process.getegid?.() };
      expect(await stat(mine.snapshotPath)).toMatchObject(caller);
      expect(await stat(mine.memPath)).toMatchObject(caller);
      const theirs = await snapshot.copy({
        snapshotPath: harness.pathFor('owned-theirs/vm.state'),
        memPath: harness.pathFor('owned-theirs/vm.mem'),
        owner: { uid: 1000, gid: 1000 },
      });
      await vm.shutdown();
      await vm.cleanup();
      for (const file of [theirs.snapshotPath, theirs.memPath, harness.pathFor('owned-theirs')]) {
        expect(await stat(file)).toMatchObject({ uid: 1000, gid: 1000 });
      }
      // The copies outlive the VM's cleanup, which removed its own files.
      expect(existsSync(snapshot.memPath)).toBe(false);
      expect(existsSync(mine.memPath)).toBe(true);
    },
  );
});
