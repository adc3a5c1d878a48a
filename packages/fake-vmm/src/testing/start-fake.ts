// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buildFakeEnv, type FakeSwitches } from './fake-env.js';
import { createFakeHandle, type FakeFirecracker } from './fake-handle.js';
import { killAndWait, pidOf } from './fake-process.js';
import { type FakeJailerOptions, resolveJailerOption } from './jailer-args.js';
import { type LaunchedFake, launchFake } from './launch-fake.js';
import { trackFake } from './live-fakes.js';
import { waitUntilServing } from './wait-until-serving.js';

/** What `startFakeFirecracker` starts. */
export interface StartFakeFirecrackerOptions {
  /** `--id` (default: `fake-` and a random suffix). */
  readonly id?: string;
  /** More Firecracker arguments, after `--api-sock` (unjailed) and `--id`. */
  readonly args?: readonly string[];
  /** `KINDLING_FAKE_*` switches. */
  readonly fake?: FakeSwitches;
  /** Record every API request in a journal inside the fake's folder (see `readJournal`). */
  readonly journal?: boolean;
  /** Run under the fake jailer; `true` for the defaults. */
  readonly jailer?: FakeJailerOptions | boolean;
  /** How long to wait for the API socket to accept connections (default 5000 ms). */
  readonly socketTimeoutMs?: number;
  readonly signal?: AbortSignal;
}

const DEFAULT_SOCKET_TIMEOUT_MS = 5000;

/**
 * Starts a fake Firecracker, directly or under the fake jailer, in a fresh temporary folder, and
 * resolves once its API socket accepts connections. The handle's `stop()` (or `await using`)
 * kills it and removes the folder, leaving no process or file behind; so does a failed start.
 */
export const startFakeFirecracker = async (
  options: StartFakeFirecrackerOptions = {},
): Promise<FakeFirecracker> => {
  options.signal?.throwIfAborted();
  const jailer = resolveJailerOption(options.jailer);
  const dir = await mkdtemp(path.join(tmpdir(), 'kindling-fake-'));
  let launched: LaunchedFake | undefined;
  let release: (() => void) | undefined;
  try {
    // A jailed fake that dropped to another uid must be able to walk down to its jail.
    await chmod(dir, 0o755);
    const journalPath = options.journal === true ? path.join(dir, 'journal.ndjson') : undefined;
    const env = buildFakeEnv({
      cgroupRoot: path.join(dir, 'cgroup'),
      ...options.fake,
      ...(journalPath === undefined ? {} : { journalPath }),
    });
    launched = await launchFake({ dir, id: options.id, args: options.args ?? [], env, jailer });
    release = trackFake(pidOf(launched.fake), dir);
    await waitUntilServing(
      launched,
      options.socketTimeoutMs ?? DEFAULT_SOCKET_TIMEOUT_MS,
      options.signal,
    );
    return createFakeHandle({
      id: launched.id,
      dir,
      socketPath: launched.socketPath,
      chrootDir: launched.chrootDir,
      journalPath,
      daemonized: jailer?.daemonize === true,
      fake: launched.fake,
      child: launched.child,
      release,
    });
  } catch (error) {
    try {
      if (launched !== undefined) {
        await killAndWait(launched.fake);
      }
    } finally {
      release?.();
      await rm(dir, { recursive: true, force: true });
    }
    throw error;
  }
};
