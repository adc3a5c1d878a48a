// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { zstdCompressSync, constants as zlib } from 'node:zlib';
import { bundleGuestAgent } from './agent-bundle.ts';
import { findExecutable, runCommand } from './commands.ts';
import { createCpioArchive, type CpioEntry } from './cpio.ts';
import {
  downloadPackages,
  extractPackage,
  resolveMetapackage,
  resolvePackages,
  type DebianPackage,
} from './debian-packages.ts';
import { extractVmlinux } from './kernel-image.ts';
import { resolveModuleLoadOrder } from './kernel-modules.ts';
import { fetchNodeBinary, readRepositoryNodeVersion } from './node-binary.ts';
import { collectTreeEntries, mergeEntries, PACKAGE_FILES_SKIPPED } from './rootfs-entries.ts';

/** Debian's cloud kernel: an LZ4 bzImage with CONFIG_PVH, virtio and vsock as modules. */
const KERNEL_METAPACKAGE = 'linux-image-cloud-amd64';
/** busybox as init and shell; socat for vsock (with its libraries); libraries of Node. */
const USERLAND_PACKAGES = [
  'busybox-static',
  'socat',
  'libc6',
  'libssl3',
  'libwrap0',
  'libnsl2',
  'libtirpc3',
  'libgssapi-krb5-2',
  'libkrb5-3',
  'libk5crypto3',
  'libkrb5support0',
  'libcom-err2',
  'libkeyutils1',
  'libstdc++6',
  'libgcc-s1',
];
/** Loaded in this order (after their dependencies): virtio_ring before virtio, as the kernel needs. */
const MODULES = [
  'virtio_ring',
  'virtio',
  'virtio_mmio',
  'virtio_blk',
  'virtio_net',
  'virtio_balloon',
  'vmw_vsock_virtio_transport',
  'vsock_loopback',
];
const DATA_DRIVE_MIB = 8;
/** The label of the data drive's ext4, which the guest prints at boot. */
export const DATA_DRIVE_LABEL = 'kindling-data';

/** What `pnpm xtask guest` built, and where (all in the git-ignored `.guest/`). */
export interface GuestArtifacts {
  readonly kernelPath: string;
  readonly initrdPath: string;
  readonly dataDrivePath: string;
  readonly kernelVersion: string;
  readonly packages: readonly DebianPackage[];
  readonly nodeVersion: string;
  readonly sizes: { readonly kernel: number; readonly initrd: number; readonly dataDrive: number };
  /** Whether the artefacts came from the cache (same packages, Node and guest sources). */
  readonly cached: boolean;
}

/** The git-ignored folder the guest is built into. */
export const guestDir = (root: string): string => path.join(root, '.guest');

const hashSources = async (root: string): Promise<string> => {
  const hash = createHash('sha256');
  const dirs = ['guest', 'xtask/src/guest', 'packages/fake-vmm/src/guest/services'];
  for (const dir of dirs) {
    const files = (await readdir(path.join(root, dir), { recursive: true, withFileTypes: true }))
      .filter((entry) => entry.isFile())
      .map((entry) => path.join(entry.parentPath, entry.name))
      .toSorted();
    for (const file of files) {
      hash.update(path.relative(root, file)).update(await readFile(file));
    }
  }
  return hash.digest('hex');
};

const guestOwnFiles = async (root: string): Promise<CpioEntry[]> =>
  collectTreeEntries(path.join(root, 'guest', 'rootfs'));

const buildDataDrive = async (work: string, output: string): Promise<void> => {
  const mkfs = findExecutable('mkfs.ext4');
  if (mkfs === undefined) {
    throw new Error('mkfs.ext4 was not found: install e2fsprogs (apt-get install e2fsprogs)');
  }
  const content = path.join(work, 'data');
  await mkdir(content, { recursive: true });
  await writeFile(path.join(content, 'hello.txt'), 'hello from the kindling data drive\n');
  await rm(output, { force: true });
  await runCommand(mkfs, ['-q', '-F', '-L', DATA_DRIVE_LABEL, '-d', content, output, `${DATA_DRIVE_MIB}M`]);
};

/**
 * Builds the test guest into `.guest/` (kernel, initrd, data drive) from Debian's packages, or
 * returns the cached one when the package versions, Node and the guest's sources are unchanged.
 */
export const buildGuest = async (
  root: string,
  log: (line: string) => void = () => {},
): Promise<GuestArtifacts> => {
  const out = guestDir(root);
  const cache = path.join(out, 'cache');
  const kernelPackage = await resolveMetapackage(KERNEL_METAPACKAGE);
  const packages = await resolvePackages([kernelPackage, ...USERLAND_PACKAGES]);
  const nodeVersion = await readRepositoryNodeVersion(root);
  const key = createHash('sha256')
    .update(JSON.stringify({ packages, nodeVersion, sources: await hashSources(root) }))
    .digest('hex');
  const manifestPath = path.join(out, 'guest.json');
  const paths = {
    kernelPath: path.join(out, 'vmlinux'),
    initrdPath: path.join(out, 'initrd.img'),
    dataDrivePath: path.join(out, 'data.ext4'),
  };
  if (existsSync(manifestPath) && Object.values(paths).every((file) => existsSync(file))) {
    const manifest = JSON.parse(await readFile(manifestPath, 'utf8')) as GuestArtifacts & { key: string };
    if (manifest.key === key) {
      return { ...manifest, ...paths, cached: true };
    }
  }
  log(`downloading ${packages.length} Debian packages`);
  const debs = await downloadPackages(packages, path.join(cache, 'debs'));
  const work = path.join(cache, 'work');
  await rm(work, { recursive: true, force: true });
  const [kernelDeb, ...userlandDebs] = debs;
  if (kernelDeb === undefined) {
    throw new Error('no kernel package was downloaded');
  }
  await extractPackage(kernelDeb, path.join(work, 'kernel'));
  for (const deb of userlandDebs) {
    await extractPackage(deb, path.join(work, 'rootfs'));
  }
  const bootDir = path.join(work, 'kernel', 'boot');
  const bzImage = (await readdir(bootDir)).find((file) => file.startsWith('vmlinuz-'));
  if (bzImage === undefined) {
    throw new Error(`${kernelPackage} has no /boot/vmlinuz-*`);
  }
  const kernelVersion = bzImage.slice('vmlinuz-'.length);
  log(`extracting the ELF kernel from ${bzImage}`);
  await writeFile(paths.kernelPath, extractVmlinux(await readFile(path.join(bootDir, bzImage))));

  const modulesDir = path.join(work, 'kernel', 'lib', 'modules', kernelVersion);
  const moduleOrder = await resolveModuleLoadOrder(modulesDir, MODULES);
  const moduleEntries: CpioEntry[] = await Promise.all(
    moduleOrder.map(async (file) => ({
      kind: 'file' as const,
      path: `lib/modules/${kernelVersion}/${file}`,
      data: await readFile(path.join(modulesDir, file)),
      mode: 0o644,
    })),
  );
  log(`fetching Node ${nodeVersion} for the guest`);
  const nodePath = path.join(work, 'node');
  await fetchNodeBinary(root, nodeVersion, cache, nodePath);
  log('bundling the guest agent');
  const agent = await bundleGuestAgent(root, path.join(work, 'agent'));
  const entries = mergeEntries(
    await collectTreeEntries(path.join(work, 'rootfs'), PACKAGE_FILES_SKIPPED),
    moduleEntries,
    [
      { kind: 'file', path: 'etc/kindling/modules', data: Buffer.from(`${moduleOrder.join('\n')}\n`), mode: 0o644 },
      { kind: 'file', path: 'usr/bin/node', data: await readFile(nodePath), mode: 0o755 },
      { kind: 'file', path: 'opt/kindling/agent.mjs', data: agent, mode: 0o644 },
      // busybox --install links its applets into these.
      ...['bin', 'sbin', 'usr/bin', 'usr/sbin'].map((dir) => ({ kind: 'directory' as const, path: dir })),
      { kind: 'directory', path: 'proc' },
      { kind: 'directory', path: 'sys' },
      { kind: 'directory', path: 'dev' },
      { kind: 'directory', path: 'tmp', mode: 0o1777 },
    ],
    await guestOwnFiles(root),
  );
  log(`writing the initrd (${entries.length} entries, zstd)`);
  const archive = createCpioArchive(entries);
  const compressed = zstdCompressSync(archive, {
    params: { [zlib.ZSTD_c_compressionLevel]: 9 },
  });
  await writeFile(paths.initrdPath, compressed);
  log('writing the ext4 data drive');
  await buildDataDrive(work, paths.dataDrivePath);
  await rm(work, { recursive: true, force: true });

  const artifacts: GuestArtifacts = {
    ...paths,
    kernelVersion,
    packages,
    nodeVersion,
    sizes: {
      kernel: (await stat(paths.kernelPath)).size,
      initrd: (await stat(paths.initrdPath)).size,
      dataDrive: (await stat(paths.dataDrivePath)).size,
    },
    cached: false,
  };
  await writeFile(manifestPath, `${JSON.stringify({ ...artifacts, key }, null, 2)}\n`);
  return artifacts;
};
