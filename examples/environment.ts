// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

// What every example takes from its environment: where Firecracker's binaries and a guest are
// (see README.md), and a scratch folder for the files a VM makes, removed when the example ends.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import process from 'node:process';
import { VmmInstallation } from '@kindling/vmm-core';

/** The binaries, the guest's boot source, and the line the guest prints once it is up. */
export interface ExampleEnvironment {
  readonly installation: VmmInstallation;
  readonly bootSource: {
    readonly kernel_image_path: string;
    readonly initrd_path?: string;
    readonly boot_args: string;
  };
  /** Printed on the guest's serial console once its vsock services listen. */
  readonly readyLine: string;
  /** How long `vm.start()` waits for Firecracker's API socket (Kindling's default: 5 s). */
  readonly socketWaitTimeoutMs: number;
}

const valueOf = (name: string): string | undefined => {
  const value = process.env[name];
  return value === undefined || value === '' ? undefined : value;
};

const requireValue = (name: string, what: string): string => {
  const value = valueOf(name);
  if (value === undefined) {
    throw new Error(`${name} is not set: give it the path of ${what} (see examples/README.md)`);
  }
  return value;
};

/**
 * Reads `KINDLING_FIRECRACKER` and `KINDLING_KERNEL` (required), `KINDLING_JAILER` and
 * `KINDLING_SNAPSHOT_EDITOR` (default: beside `firecracker`), `KINDLING_INITRD` (optional),
 * `KINDLING_GUEST_READY_LINE` (default: the fake guest's marker) and `KINDLING_SOCKET_WAIT_MS`
 * (default 5000).
 */
export const readEnvironment = (): ExampleEnvironment => {
  const firecrackerPath = requireValue('KINDLING_FIRECRACKER', 'the firecracker binary');
  const binDir = path.dirname(firecrackerPath);
  const kernelPath = requireValue('KINDLING_KERNEL', 'an uncompressed guest kernel (vmlinux)');
  const initrdPath = valueOf('KINDLING_INITRD');
  return {
    installation: new VmmInstallation({
      firecrackerPath,
      jailerPath: valueOf('KINDLING_JAILER') ?? path.join(binDir, 'jailer'),
      snapshotEditorPath:
        valueOf('KINDLING_SNAPSHOT_EDITOR') ?? path.join(binDir, 'snapshot-editor'),
    }),
    bootSource: {
      kernel_image_path: kernelPath,
      ...(initrdPath === undefined ? {} : { initrd_path: initrdPath }),
      // The serial console on ttyS0 (Kindling reads it); a reboot ends Firecracker.
      boot_args: 'console=ttyS0 reboot=k panic=1',
    },
    readyLine: valueOf('KINDLING_GUEST_READY_LINE') ?? 'kindling-fake-guest: ready',
    socketWaitTimeoutMs: Number(valueOf('KINDLING_SOCKET_WAIT_MS') ?? 5_000),
  };
};

/** A new folder under the temporary folder, removed with everything in it when disposed of. */
export interface ScratchFolder extends AsyncDisposable {
  readonly path: string;
}

/** Makes a scratch folder named after the example (`kindling-example-<name>-XXXXXX`). */
export const createScratchFolder = async (name: string): Promise<ScratchFolder> => {
  const folder = await mkdtemp(path.join(os.tmpdir(), `kindling-example-${name}-`));
  return {
    path: folder,
    [Symbol.asyncDispose]: () => rm(folder, { recursive: true, force: true }),
  };
};
