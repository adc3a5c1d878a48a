// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { randomUUID } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { DirectSpawner, type SpawnedProcess } from '@kindling/spawner';
import { fakeBinExists, resolveFakeBin } from '../package-paths.js';
import { adoptDetached } from './adopt-detached.js';
import { createFakeInstallation } from './fake-installation.js';
import { FakeVmmError } from '../firecracker/errors.js';
import type { FakeProcess } from './fake-process.js';
import { buildJailerArgs, type FakeJailerOptions } from './jailer-args.js';

/** A fake just started: its process, the child whose pipes we hold, and where it serves. */
export interface LaunchedFake {
  readonly fake: FakeProcess;
  readonly child: SpawnedProcess;
  readonly id: string;
  readonly socketPath: string;
  readonly chrootDir: string | undefined;
  /** What to call it in messages: `Firecracker` or `jailed Firecracker`. */
  readonly label: string;
}

/** What to launch, in a folder that already exists. */
export interface LaunchRequest {
  readonly dir: string;
  /** `--id` (default: `fake-` and a random suffix). */
  readonly id: string | undefined;
  readonly args: readonly string[];
  readonly env: Readonly<Record<string, string>>;
  readonly jailer: FakeJailerOptions | undefined;
}

/**
 * Spawns the fake Firecracker with its socket in `dir`, or the fake jailer with its jail in
 * `<dir>/jail` and the `firecracker` wrapper of an installation in `<dir>/bin` as `--exec-file`.
 */
export const launchFake = async (request: LaunchRequest): Promise<LaunchedFake> => {
  const { dir, jailer } = request;
  const bin = jailer === undefined ? 'fake-firecracker' : 'fake-jailer';
  if (!fakeBinExists(bin)) {
    throw new FakeVmmError(
      'ERR_FAKE_NOT_BUILT',
      `${resolveFakeBin(bin)} does not exist: build @kindling/fake-vmm first (pnpm --filter @kindling/fake-vmm build)`,
    );
  }
  const spawner = new DirectSpawner();
  const id = request.id ?? `fake-${randomUUID().slice(0, 8)}`;
  if (jailer === undefined) {
    const socketPath = path.join(dir, 'firecracker.socket');
    const argv = [resolveFakeBin(bin), '--api-sock', socketPath, '--id', id, ...request.args];
    const child = await spawner.spawn(process.execPath, argv, { env: request.env });
    return {
      fake: { kind: 'child', child },
      child,
      id,
      socketPath,
      chrootDir: undefined,
      label: 'Firecracker',
    };
  }
  const installation = await createFakeInstallation(path.join(dir, 'bin'));
  const base = path.join(dir, 'jail');
  // A jailed fake that dropped to another uid must be able to walk down to its jail.
  await mkdir(base, { mode: 0o755 });
  const chrootDir = path.join(base, 'firecracker', id, 'root');
  const socketPath = path.join(chrootDir, 'run', 'firecracker.socket');
  const jailerArgs = buildJailerArgs(jailer, id, installation.firecrackerPath, base);
  const argv = [resolveFakeBin(bin), ...jailerArgs, '--', ...request.args];
  const child = await spawner.spawn(process.execPath, argv, { env: request.env });
  const fake: FakeProcess =
    jailer.daemonize === true || jailer.newPidNs === true
      ? await adoptDetached(child, chrootDir)
      : { kind: 'child', child };
  return { fake, child, id, socketPath, chrootDir, label: 'jailed Firecracker' };
};
