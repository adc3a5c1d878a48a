// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { existsSync } from 'node:fs';
import { symlink } from 'node:fs/promises';
import path from 'node:path';
import { catchError } from '@kindling/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiVmConfiguration, VmProfile, VmSnapshot } from '../src/index.js';
import { Vm } from '../src/index.js';
import {
  SETUPS,
  basicConfiguration,
  createVmHarness,
  defined,
  jailed,
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

const LIMITER = {
  bandwidth: { size: 1_000_000, refill_time: 100 },
  ops: { size: 100, refill_time: 100 },
};
const LOOSER = { bandwidth: { size: 2_000_000, refill_time: 100 } };

// GET /vm/config shows an unset one_time_burst as null, as Firecracker serialises it.
const asReported = (limiter: Record<string, { size: number; refill_time: number }>) =>
  Object.fromEntries(
    Object.entries(limiter).map(([bucket, value]) => [bucket, { one_time_burst: null, ...value }]),
  );

// The folders of the kernel and the root drive: one on the fake, two with a real guest kernel.
const imageFolders = (): string[] => [
  ...new Set([path.dirname(harness.kernelPath), path.dirname(harness.rootfsPath)]),
];
const images = (): string => path.dirname(harness.rootfsPath);

const withInterface = (): ApiVmConfiguration => ({
  ...basicConfiguration(harness),
  networkInterfaces: [{ iface_id: 'eth0', host_dev_name: harness.tap('tap0') }],
});

describe.each(SETUPS)('a profile refuses before anything starts, $name', (setup: ExecutorSetup) => {
  // Prepares with a profile, and returns the refusal and whether the VM's jail was laid out.
  const refusal = async (
    configuration: ApiVmConfiguration,
    profile: VmProfile,
  ): Promise<{ error: unknown; jail: boolean }> => {
    const id = harness.nextId();
    const { executor, ownership } = setup.create(harness, id);
    const error = await catchError(
      harness.prepare(setup, configuration, { executor, ownership, profile }),
    );
    return { error, jail: existsSync(path.join(harness.dir, 'jail', 'firecracker', id)) };
  };

  it('a file outside allowedFolders, naming the field, the file and the folders', async () => {
    const outside = await harness.writeUserFile(`elsewhere-${setup.tag}/data.img`);
    const before = await harness.leftovers();
    const base = basicConfiguration(harness);
    const { error, jail } = await refusal(
      {
        ...base,
        drives: [
          ...defined(base.drives, 'drives'),
          { drive_id: 'data', is_root_device: false, path_on_host: outside },
        ],
      },
      { allowedFolders: imageFolders() },
    );
    expect(error).toMatchObject({ code: 'ERR_PROFILE_VIOLATION' });
    expect((error as Error).message).toBe(
      `configuration.drives[1].path_on_host: resolves to "${outside}", outside every folder of profile.allowedFolders (${imageFolders().join(', ')}), got "${outside}": move the file into an allowed folder, or allow its folder in the profile`,
    );
    expect(jail).toBe(false);
    expect(await harness.leftovers()).toEqual(before);
  });

  it('a symlink inside an allowed folder to a file outside it', async () => {
    const outside = await harness.writeUserFile(`secret-${setup.tag}/kernel`);
    const link = path.join(images(), `link-${setup.tag}-vmlinux`);
    await symlink(outside, link);
    const base = basicConfiguration(harness);
    const { error, jail } = await refusal(
      { ...base, bootSource: { ...base.bootSource, kernel_image_path: link } },
      { allowedFolders: imageFolders() },
    );
    expect(error).toMatchObject({
      code: 'ERR_PROFILE_VIOLATION',
      message: expect.stringMatching(
        /^configuration\.bootSource\.kernel_image_path: resolves to ".*\/secret-.\/kernel", outside/u,
      ),
    });
    expect(jail).toBe(false);
  });

  it("a network interface under network 'none'", async () => {
    const { error, jail } = await refusal(withInterface(), { network: 'none' });
    expect(error).toMatchObject({ code: 'ERR_PROFILE_VIOLATION' });
    expect((error as Error).message).toBe(
      `configuration.networkInterfaces: profile.network is 'none', which allows no network interface, got ["eth0"]: remove the interfaces, or give the VM a profile with network 'isolated' or 'egress'`,
    );
    expect(jail).toBe(false);
  });

  it("a drive or interface rate limiter looser than the profile's", async () => {
    const base = basicConfiguration(harness);
    const drive = await refusal(
      {
        ...base,
        drives: defined(base.drives, 'drives').map((item) =>
          Object.assign({}, item, { rate_limiter: LOOSER }),
        ),
      },
      { rateLimiters: { drive: LIMITER } },
    );
    expect(drive.error).toMatchObject({
      code: 'ERR_PROFILE_VIOLATION',
      message: expect.stringMatching(
        /^configuration\.drives\[0\]\.rate_limiter: looser than the profile's rate limiter .* \(for each bucket \(bandwidth, ops\) the profile's limiter sets, the device's must set it too/u,
      ),
    });
    expect(drive.jail).toBe(false);
    const iface = await refusal(
      {
        ...withInterface(),
        networkInterfaces: [
          { iface_id: 'eth0', host_dev_name: harness.tap('tap0'), tx_rate_limiter: LOOSER },
        ],
      },
      { rateLimiters: { network: { tx: LIMITER } } },
    );
    expect(iface.error).toMatchObject({
      code: 'ERR_PROFILE_VIOLATION',
      message: expect.stringMatching(/^configuration\.networkInterfaces\[0\]\.tx_rate_limiter: /u),
    });
  });

  it('a bad profile is ERR_INVALID_INPUT naming the field', async () => {
    const { error } = await refusal(basicConfiguration(harness), {
      network: 'open' as 'none',
      allowedFolders: ['relative'],
    });
    expect(error).toMatchObject({ code: 'ERR_INVALID_INPUT' });
    expect((error as Error).message).toBe(
      [
        'options.profile.allowedFolders[0]: expected an absolute folder path, got "relative"',
        `options.profile.network: expected 'none', 'isolated' or 'egress', got "open"`,
      ].join('\n'),
    );
  });
});

describe('a profile with limits', () => {
  it('is refused with an executor that cannot apply them, saying limits need the jailer', async () => {
    const { executor, ownership } = unrestricted.create(harness, harness.nextId());
    const error = await catchError(
      harness.prepare(unrestricted, basicConfiguration(harness), {
        executor,
        ownership,
        profile: { limits: { memoryBytes: 256 * 1024 * 1024 } },
      }),
    );
    expect(error).toMatchObject({ code: 'ERR_PROFILE_VIOLATION' });
    expect((error as Error).message).toBe(
      'options.profile.limits: resource limits need an executor that applies them (withResourceLimits): the jailer makes the cgroup, got {"memoryBytes":268435456}: run the VM with a JailedExecutor, or drop profile.limits',
    );
  });
});

describe('a profile with bad limits', () => {
  it("is refused by the executor's rules, naming the profile's field, before anything starts", async () => {
    const id = harness.nextId();
    const { executor, ownership } = jailed.create(harness, id);
    const error = await catchError(
      harness.prepare(jailed, basicConfiguration(harness), {
        executor,
        ownership,
        profile: { limits: { memoryBytes: -1 } },
      }),
    );
    expect(error).toMatchObject({
      code: 'ERR_INVALID_INPUT',
      message: expect.stringContaining(
        'options.profile.limits.memoryBytes: expected a positive integer, got -1',
      ),
    });
    expect(existsSync(path.join(harness.dir, 'jail', 'firecracker', id))).toBe(false);
  });
});

describe.each(SETUPS)('a profile that allows the request, $name', (setup: ExecutorSetup) => {
  it('gives its rate limiters to devices without one, keeps a stricter one, and the VM runs', async () => {
    const stricter = {
      bandwidth: { size: 500_000, refill_time: 100 },
      ops: { size: 50, refill_time: 200 },
    };
    const base = basicConfiguration(harness);
    const vm = await harness.prepare(
      setup,
      {
        ...base,
        networkInterfaces: [
          { iface_id: 'eth0', host_dev_name: harness.tap('tap0'), rx_rate_limiter: stricter },
        ],
      },
      {
        profile: {
          allowedFolders: imageFolders(),
          network: 'isolated',
          rateLimiters: { drive: LIMITER, network: { rx: LIMITER, tx: LIMITER } },
        },
      },
    );
    await vm.start();
    const config = await vm.getVmConfig();
    expect(config.drives?.[0]?.rate_limiter).toEqual(asReported(LIMITER));
    expect(config['network-interfaces']?.[0]).toMatchObject({
      rx_rate_limiter: asReported(stricter),
      tx_rate_limiter: asReported(LIMITER),
    });
    await vm[Symbol.asyncDispose]();
  });
});

const violation = (pattern: RegExp) => ({
  code: 'ERR_PROFILE_VIOLATION',
  message: expect.stringMatching(pattern),
});

describe("a profile holds for the VM's life, not only its configuration", () => {
  it('refuses a drive swapped to a file outside allowedFolders, or a looser limiter, by method or vm.request()', async () => {
    const outside = await harness.writeUserFile('elsewhere-life/data.img');
    const vm = await harness.prepare(unrestricted, basicConfiguration(harness), {
      profile: { allowedFolders: imageFolders(), rateLimiters: { drive: LIMITER } },
    });
    await vm.start();
    const swapped = await catchError(vm.patchDrive({ drive_id: 'rootfs', path_on_host: outside }));
    expect(swapped).toMatchObject(
      violation(
        /^PATCH \/drives\/rootfs: path_on_host: resolves to ".*elsewhere-life\/data\.img", outside/u,
      ),
    );
    const raw = await catchError(
      vm.request('PATCH', '/drives/rootfs', { drive_id: 'rootfs', path_on_host: outside }),
    );
    expect(raw).toMatchObject(violation(/^PATCH \/drives\/rootfs: path_on_host: resolves to/u));
    const looser = await catchError(vm.patchDrive({ drive_id: 'rootfs', rate_limiter: LOOSER }));
    expect(looser).toMatchObject(
      violation(/^PATCH \/drives\/rootfs: rate_limiter: looser than the profile's rate limiter/u),
    );
    const off = await catchError(
      vm.patchDrive({ drive_id: 'rootfs', rate_limiter: { ops: { size: 0, refill_time: 0 } } }),
    );
    expect(off).toMatchObject(violation(/^PATCH \/drives\/rootfs: rate_limiter: looser/u));
    // A stricter bucket is sent; the bucket left out keeps the profile's.
    const stricter = { bandwidth: { size: 500_000, refill_time: 100 } };
    await vm.patchDrive({ drive_id: 'rootfs', rate_limiter: stricter });
    expect((await vm.getVmConfig()).drives?.[0]?.rate_limiter).toEqual(
      asReported({ ...LIMITER, ...stricter }),
    );
    await vm[Symbol.asyncDispose]();
  });

  it.each(SETUPS)(
    "refuses an interface added under network 'none', $name",
    async (setup: ExecutorSetup) => {
      const vm = await harness.prepare(setup, basicConfiguration(harness), {
        profile: { network: 'none' },
      });
      const added = await catchError(
        vm.putNetworkInterface({ iface_id: 'eth0', host_dev_name: harness.tap('tap3') }),
      );
      expect(added).toMatchObject(
        violation(/^PUT \/network-interfaces\/eth0: profile\.network is 'none'/u),
      );
      await vm[Symbol.asyncDispose]();
    },
  );

  it("gives a drive added before start the profile's limiter", async () => {
    const vm = await harness.prepare(unrestricted, basicConfiguration(harness), {
      profile: { allowedFolders: imageFolders(), rateLimiters: { drive: LIMITER } },
    });
    const extra = await harness.writeUserFile('images/extra.img');
    await vm.start({ boot: false });
    await vm.putDrive({ drive_id: 'extra', is_root_device: false, path_on_host: extra });
    await vm.boot();
    const { drives } = await vm.getVmConfig();
    expect(drives?.find((drive) => drive.drive_id === 'extra')?.rate_limiter).toEqual(
      asReported(LIMITER),
    );
    await vm[Symbol.asyncDispose]();
  });
});

describe('a restore under a profile', () => {
  const setup = unrestricted;
  let source: Vm;
  let snapshot: VmSnapshot;
  beforeAll(async () => {
    source = await harness.prepare(setup, withInterface(), {
      profile: { rateLimiters: { drive: LIMITER } },
    });
    await source.start();
    await source.pause();
    snapshot = await source.createSnapshot({
      snapshotPath: harness.pathFor('restore/snap/vm.state'),
      memPath: harness.pathFor('restore/snap/vm.mem'),
    });
  });
  afterAll(async () => {
    await source[Symbol.asyncDispose]();
  });

  const restoreWith = (profile: VmProfile, overrides = {}) => {
    const { executor } = setup.create(harness, harness.nextId());
    return Vm.restore(snapshot, { executor, stateDir: false, profile, ...overrides });
  };

  it("refuses network overrides under network 'none' and snapshot files outside allowedFolders", async () => {
    const none = await catchError(
      restoreWith(
        { network: 'none' },
        { networkOverrides: [{ iface_id: 'eth0', host_dev_name: harness.tap('tap1') }] },
      ),
    );
    expect(none).toMatchObject({
      code: 'ERR_PROFILE_VIOLATION',
      message: expect.stringMatching(
        /^configuration\.networkOverrides: profile\.network is 'none'/u,
      ),
    });
    const folders = await catchError(restoreWith({ allowedFolders: imageFolders() }));
    expect(folders).toMatchObject({
      code: 'ERR_PROFILE_VIOLATION',
      message: expect.stringMatching(
        /^configuration\.snapshotPath: resolves to ".*\/restore\/snap\/vm\.state", outside/u,
      ),
    });
  });

  it("refuses rate limiters stricter than the snapshotted VM's profile had, takes its own", async () => {
    const stricter = await catchError(
      restoreWith({ rateLimiters: { drive: { bandwidth: { size: 10, refill_time: 100 } } } }),
    );
    expect(stricter).toMatchObject({
      code: 'ERR_PROFILE_VIOLATION',
      message: expect.stringMatching(
        /^profile\.rateLimiters\.drive: a restored VM keeps the rate limiters of the snapshotted VM, whose profile had a looser one/u,
      ),
    });
    const network = await catchError(restoreWith({ rateLimiters: { network: { rx: LIMITER } } }));
    expect(network).toMatchObject({
      code: 'ERR_PROFILE_VIOLATION',
      message: expect.stringMatching(
        /^profile\.rateLimiters\.network\.rx: .* whose profile had none/u,
      ),
    });
    const vm = harness.track(
      await restoreWith(
        { rateLimiters: { drive: LIMITER }, allowedFolders: [harness.dir] },
        { networkOverrides: [{ iface_id: 'eth0', host_dev_name: harness.tap('tap2') }] },
      ),
    );
    await vm.start();
    expect((await vm.getVmConfig()).drives?.[0]?.rate_limiter).toEqual(asReported(LIMITER));
    await vm[Symbol.asyncDispose]();
  });
});
