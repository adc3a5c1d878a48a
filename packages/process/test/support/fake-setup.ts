// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { JailedExecutor, UnrestrictedExecutor, type VmmExecutor } from '@kindling/executor';
import {
  createTestInstallation,
  type FakeSwitches,
  type TestInstallationPaths,
} from '@kindling/fake-vmm';
import { DirectSpawner } from '@kindling/spawner';
import {
  JailerArguments,
  ResourceSystem,
  VmmArguments,
  VmmInstallation,
  type VmmArgumentsOptions,
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
  readonly installation: VmmInstallation;

  private constructor(dir: string, installation: VmmInstallation) {
    this.dir = dir;
    this.stateDir = path.join(dir, 'state');
    this.installation = installation;
  }

  /** Creates the folder and the installation, with these fault switches. */
  static async create(fake: FakeSwitches = {}): Promise<FakeSetup> {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'kindling-process-it-'));
    let fakes: TestInstallationPaths;
    try {
      // The fake, or the real binaries when KINDLING_FIRECRACKER is set.
      fakes = await createTestInstallation(path.join(dir, 'bin'), {
        cgroupRoot: path.join(dir, 'cgroup'),
        ...fake,
      });
      await mkdir(path.join(dir, 'run'));
    } catch (error) {
      await rm(dir, { recursive: true, force: true });
      throw error;
    }
    return new FakeSetup(
      dir,
      new VmmInstallation({
        firecrackerPath: fakes.firecrackerPath,
        jailerPath: fakes.jailerPath,
        snapshotEditorPath: fakes.snapshotEditorPath,
      }),
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
      }),
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
      ...options.process,
    });
  }

  /** What is left in the folder besides the installation and the (empty) state and run folders. */
  async leftovers(): Promise<string[]> {
    const found: string[] = [];
    for (const entry of await readdir(this.dir, { recursive: true, withFileTypes: true })) {
      const relative = path.relative(this.dir, path.join(entry.parentPath, entry.name));
      if (!/^(bin|state|run|jail|cgroup)$|^bin\//u.test(relative)) {
        found.push(relative);
      }
    }
    return found.toSorted();
  }

  /** Reconciles what owners that died left (a failed test's, too), then removes the folder. */
  async [Symbol.asyncDispose](): Promise<void> {
    try {
      await reconcile({ stateDir: this.stateDir });
    } finally {
      await rm(this.dir, { recursive: true, force: true });
    }
  }
}
