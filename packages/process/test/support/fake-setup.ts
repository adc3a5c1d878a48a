// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import path from 'node:path';
import { JailedExecutor, UnrestrictedExecutor, type VmmExecutor } from '@kindling/executor';
import type { FakeSwitches } from '@kindling/fake-vmm';
import { DirectSpawner } from '@kindling/spawner';
import {
  FakeInstallationFolder,
  TEST_WAIT_MS,
  testCgroupRoot,
  testCgroups,
} from '@kindling/test-utils';
import {
  JailerArguments,
  ResourceSystem,
  VmmArguments,
  type VmmArgumentsOptions,
  type VmmInstallation,
} from '@kindling/vmm-core';
import { reconcile, VmmProcess, type VmmProcessOptions } from '../../src/index.js';

/** What one VMM process of a setup is made with. */
export interface FakeProcessOptions {
  readonly id: string;
  /** Run under the fake jailer, with `--daemonize` when asked. */
  readonly jailed?: {
    readonly daemonize?: boolean;
    /** The jailer's `--chroot-base-dir`; `jail/` in the setup's folder when not given. */
    readonly chrootBaseDir?: string;
  };
  /** More `firecracker` options (beyond `--api-sock` and `--id`). */
  readonly vmmArguments?: VmmArgumentsOptions;
  readonly process?: Omit<VmmProcessOptions, 'executor' | 'context'>;
}

/**
 * A temporary folder with a fake Firecracker installation (its `KINDLING_FAKE_*` switches baked
 * into the wrappers), a state folder, and a factory of `VmmProcess`es that run in it.
 */
export class FakeSetup implements AsyncDisposable {
  readonly dir: string;
  readonly stateDir: string;
  /** The fake jailer's cgroup root (`cgroup/`); none for a real jailer (the host's mounts). */
  readonly cgroupRoot: string | undefined;
  /** What the jailed processes get: `cgroupVersion` and `cgroups`. */
  readonly cgroups = testCgroups();
  readonly installation: VmmInstallation;
  readonly #folder: FakeInstallationFolder;

  private constructor(folder: FakeInstallationFolder) {
    this.#folder = folder;
    this.dir = folder.dir;
    this.stateDir = path.join(folder.dir, 'state');
    this.cgroupRoot = testCgroupRoot(folder.dir).cgroupRoot;
    this.installation = folder.installation;
  }

  /** Creates the folder and the installation, with these fault switches. */
  static async create(fake: FakeSwitches = {}): Promise<FakeSetup> {
    return new FakeSetup(
      await FakeInstallationFolder.create({ prefix: 'kindling-process-it-', fake }),
    );
  }

  /** The executor of one process: unrestricted with its socket in `run/`, or jailed in `jail/`. */
  createExecutor(options: FakeProcessOptions): VmmExecutor {
    if (options.jailed === undefined) {
      return new UnrestrictedExecutor({
        vmmArguments: new VmmArguments({
          apiSocket: path.join(this.dir, 'run', `${options.id}.sock`),
          id: options.id,
          ...options.vmmArguments,
        }),
      });
    }
    return new JailedExecutor({
      vmmArguments: new VmmArguments({ id: options.id, ...options.vmmArguments }),
      jailerArguments: new JailerArguments({
        id: options.id,
        execFile: this.installation.firecrackerPath,
        uid: process.getuid?.() ?? 0,
        gid: process.getgid?.() ?? 0,
        chrootBaseDir: options.jailed.chrootBaseDir ?? path.join(this.dir, 'jail'),
        ...(options.jailed.daemonize === true ? { daemonize: true } : {}),
        ...testCgroups(),
      }),
      ...(this.cgroupRoot === undefined ? {} : { cgroupRoot: this.cgroupRoot }),
      // The jailer's pid file, like the socket, may take long on a loaded CI host.
      pidFileTimeoutMs: TEST_WAIT_MS,
    });
  }

  /** A `VmmProcess` recording into this setup's state folder. */
  createProcess(options: FakeProcessOptions): VmmProcess {
    return new VmmProcess({
      executor: this.createExecutor(options),
      context: {
        installation: this.installation,
        spawner: new DirectSpawner(),
        resourceSystem: new ResourceSystem(),
      },
      stateDir: this.stateDir,
      // The tests' bound, not the SDK's 5 s: a loaded CI machine starts a jailed fake slowly.
      socketWaitTimeoutMs: TEST_WAIT_MS,
      ...options.process,
    });
  }

  /** What is left in the folder besides the installation and the (empty) state and run folders. */
  leftovers(): Promise<string[]> {
    return this.#folder.leftovers();
  }

  /** Reconciles what owners that died left (a failed test's, too), then removes the folder. */
  async [Symbol.asyncDispose](): Promise<void> {
    try {
      await reconcile({ stateDir: this.stateDir });
    } finally {
      await this.#folder[Symbol.asyncDispose]();
    }
  }
}
