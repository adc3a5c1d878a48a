// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { jailerErrors } from './jailer-error.js';
import { FAKE_ENV_PREFIX } from './jailer-env.js';

/** Whether this process runs as root (and so can mknod, chown to others and drop privileges). */
export const isRoot = (): boolean => process.getuid?.() === 0;

/** The variables the jailer keeps of an environment: only the fakes' own switches. */
export const keptEnvironment = (env: NodeJS.ProcessEnv): Record<string, string> =>
  Object.fromEntries(
    Object.entries(env).filter(
      (entry): entry is [string, string] =>
        entry[0].startsWith(FAKE_ENV_PREFIX) && entry[1] !== undefined,
    ),
  );

/** Empties this process's environment but for `KINDLING_FAKE_*`, as the real jailer empties it. */
export const clearProcessEnvironment = (): void => {
  for (const name of Object.keys(process.env)) {
    if (!name.startsWith(FAKE_ENV_PREFIX)) {
      Reflect.deleteProperty(process.env, name);
    }
  }
};

/**
 * Switches this process to uid:gid as Rust's `Command` does before exec: the gid, then (as root)
 * no supplementary groups, then the uid. A non-root process can only "switch" to its own ids.
 */
export const dropPrivileges = (uid: number, gid: number): void => {
  try {
    process.setgid?.(gid);
    if (isRoot()) {
      process.setgroups?.([]);
    }
    process.setuid?.(uid);
  } catch (error) {
    throw jailerErrors.exec(error);
  }
};

/**
 * Moves into the jail root and then drops to uid:gid, in that order: the process never needs to
 * reach anything outside the jail as uid:gid (Node, the fake's code and the jail's parents may
 * sit in folders only root can enter, e.g. a clone in a mode-700 folder).
 */
export const enterJail = (chrootDir: string, uid: number, gid: number): void => {
  try {
    process.chdir(chrootDir);
  } catch (error) {
    throw jailerErrors.exec(error);
  }
  dropPrivileges(uid, gid);
};
