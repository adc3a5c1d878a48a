// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import {
  downloadPackages,
  extractPackage,
  resolveMetapackage,
  resolvePackages,
  type DebianPackage,
} from './debian-packages.ts';
import { extractVmlinux } from './kernel-image.ts';
import { buildDataDrive } from './data-drive.ts';
import { writeInitrd } from './initrd.ts';
import { readRepositoryNodeVersion } from './node-binary.ts';

/** Debian's cloud kernel: an LZ4 bzImage with CONFIG_PVH, virtio and vsock as modules. */
const KERNEL_METAPACKAGE = 'linux-image-cloud-amd64';
/**
 * busybox as init and shell; socat for vsock (with its libraries); util-linux's `script` (in
 * bsdutils, needing only libc), which gives the exec agent's commands a terminal (Debian's
 * busybox has no `script` applet); libraries of Node.
 */
const USERLAND_PACKAGES = [
  'busybox-static',
  'socat',
  'bsdutils',
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
  const dirs = [
    'xtask/guest',
    'xtask/src/guest',
    'packages/fake-vmm/src/guest/services',
    'packages/exec-agent/src',
  ];
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
    const manifest = JSON.parse(await readFile(manifestPath, 'utf8')) as GuestArtifacts & {
      key: string;
    };
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

  await writeInitrd({
    root,
    work,
    cache,
    kernelVersion,
    nodeVersion,
    output: paths.initrdPath,
    log,
  });
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
