// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { createTestInstallation, type FakeSwitches } from '@kindling/fake-vmm';
import { VmmInstallation } from '@kindling/vmm-core';
import { CGROUP_ROOT_SET_UP, listLeftoverFiles } from './leftovers.js';
import { createTempFolder, type TempFolder } from './temp-folder.js';

/** How a fake installation folder is made. */
export interface FakeInstallationFolderOptions {
  /** The temporary folder's name prefix (default `kindling-it-`). */
  readonly prefix?: string;
  /** The `KINDLING_FAKE_*` switches baked into the installation's wrappers. */
  readonly fake?: FakeSwitches;
  /** The folder's mode, e.g. `0o755` so that a jail's dropped uid can walk down to it. */
  readonly mode?: number;
}

// What the folder holds besides what tests leave: the installation, and the empty folders.
const SET_UP = new RegExp(
  String.raw`^(bin|state|run|jail|cgroup)$|^bin/|${CGROUP_ROOT_SET_UP}`,
  'u',
);

/**
 * A temporary folder with a test installation: the fake Firecracker in `bin/` (its switches baked
 * into the wrappers), or the real binaries when `KINDLING_FIRECRACKER` is set; an empty `run/` for sockets, and `cgroup/` as the fake jailer's cgroup root.
 * Disposing it removes the folder; `leftovers()` lists what a test left behind.
 */
export class FakeInstallationFolder implements AsyncDisposable {
  readonly dir: string;
  readonly installation: VmmInstallation;
  readonly #folder: TempFolder;

  private constructor(folder: TempFolder, installation: VmmInstallation) {
    this.#folder = folder;
    this.dir = folder.path;
    this.installation = installation;
  }

  /** Creates the folder and the installation; nothing is left when a step fails. */
  static async create(
    options: FakeInstallationFolderOptions = {},
  ): Promise<FakeInstallationFolder> {
    await using stack = new AsyncDisposableStack();
    const folder = stack.use(
      await createTempFolder(
        options.prefix ?? 'kindling-it-',
        options.mode === undefined ? {} : { mode: options.mode },
      ),
    );
    // The fake, or the real binaries when KINDLING_FIRECRACKER is set.
    const installation = new VmmInstallation(
      await createTestInstallation(path.join(folder.path, 'bin'), {
        cgroupRoot: path.join(folder.path, 'cgroup'),
        ...options.fake,
      }),
    );
    await mkdir(path.join(folder.path, 'run'));
    stack.move();
    return new FakeInstallationFolder(folder, installation);
  }

  /** What is left besides the installation and the (empty) `state`, `run`, `jail`, `cgroup`. */
  leftovers(): Promise<string[]> {
    return listLeftoverFiles(this.dir, SET_UP);
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.#folder[Symbol.asyncDispose]();
  }
}
