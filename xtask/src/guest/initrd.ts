// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { constants as zlib, zstdCompressSync } from 'node:zlib';
import { bundleGuestAgent } from './agent-bundle.ts';
import { createCpioArchive, type CpioEntry } from './cpio.ts';
import { resolveModuleLoadOrder } from './kernel-modules.ts';
import { fetchNodeBinary } from './node-binary.ts';
import { collectTreeEntries, mergeEntries, PACKAGE_FILES_SKIPPED } from './rootfs-entries.ts';

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
/** Where the initrd's inputs are: the unpacked packages in `work`, the repository's guest/. */
export interface InitrdInputs {
  readonly root: string;
  readonly work: string;
  readonly cache: string;
  readonly kernelVersion: string;
  readonly nodeVersion: string;
  readonly output: string;
  readonly log: (line: string) => void;
}

/**
 * Writes the initramfs: the unpacked packages' files, the kernel modules in load order, Node and
 * the bundled agent, and xtask/guest/rootfs (init, inittab, the start-up script), zstd-compressed.
 */
export const writeInitrd = async (inputs: InitrdInputs): Promise<void> => {
  const { root, work, cache, kernelVersion, nodeVersion, log } = inputs;
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
      {
        kind: 'file',
        path: 'etc/kindling/modules',
        data: Buffer.from(`${moduleOrder.join('\n')}\n`),
        mode: 0o644,
      },
      { kind: 'file', path: 'usr/bin/node', data: await readFile(nodePath), mode: 0o755 },
      { kind: 'file', path: 'opt/kindling/agent.mjs', data: agent, mode: 0o644 },
      // busybox --install links its applets into these.
      ...['bin', 'sbin', 'usr/bin', 'usr/sbin'].map((dir) => ({
        kind: 'directory' as const,
        path: dir,
      })),
      { kind: 'directory', path: 'proc' },
      { kind: 'directory', path: 'sys' },
      { kind: 'directory', path: 'dev' },
      { kind: 'directory', path: 'tmp', mode: 0o1777 },
    ],
    await collectTreeEntries(path.join(root, 'xtask', 'guest', 'rootfs')),
  );
  // zstd's level 3: a few seconds, not fifteen, for a few MB more than level 9.
  log(`writing the initrd (${entries.length} entries, zstd)`);
  const archive = createCpioArchive(entries);
  const compressed = zstdCompressSync(archive, {
    params: { [zlib.ZSTD_c_compressionLevel]: 3 },
  });
  await writeFile(inputs.output, compressed);
};
