// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmod, lstat, mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { buildFakeEnv, createFakeInstallation, writeFakeKernel } from '@kindling/fake-vmm';
import type { FakeSwitches } from '@kindling/fake-vmm';
import { VmmInstallation } from '@kindling/vmm-core';
import {
  listProcessesOf,
  takeHostCensus,
  type CensusScope,
  type HostCensus,
} from './host-census.ts';

const run = promisify(execFile);

/** A load run's folder, installations and names: what its VMs share, and what is counted. */
export interface LoadRun extends AsyncDisposable {
  readonly dir: string;
  readonly kernelPath: string;
  /** One fake installation per fault profile (`clean` has no switches). */
  readonly installations: ReadonlyMap<string, VmmInstallation>;
  /** Where VMs keep their files: `<dir>/vms/<id>`. */
  readonly vmsDir: string;
  readonly jailBaseDir: string;
  readonly stateDir: string;
  readonly networkStateDir: string;
  readonly scope: CensusScope & {
    readonly namespaces: Set<string>;
    readonly nftTables: Set<string>;
  };
  /** A short id unique in the run, also the TAP's name (`<tapPrefix><tag><n>`). */
  nextId(tag: string): string;
  census(): Promise<HostCensus>;
  /**
   * What is left of VM `id`'s files once it is cleaned up — anything in its folder, its API
   * socket, its jail — each as a path relative to the run (a socket or FIFO with its kind);
   * removes them, and the VM's (then empty) folder.
   */
  removeLeftoversOf(id: string): Promise<string[]>;
  /**
   * Removes whatever the run's VMs left (processes, TAPs, namespaces, nft tables), then the
   * folder; resolves with what it had to remove, which a clean run leaves empty.
   */
  sweep(): Promise<string[]>;
}

const IP = '/usr/sbin/ip';
const NFT = '/usr/sbin/nft';

const quietly = async (file: string, args: readonly string[]): Promise<boolean> => {
  try {
    await run(file, args, { timeout: 10_000 });
    return true;
  } catch {
    return false;
  }
};

// Every entry at or below `place` (a socket or FIFO with its kind), except an empty folder's own
// path when it is `place` itself; nothing when it does not exist.
const listTree = async (place: string): Promise<string[]> => {
  let found: { parentPath: string; name: string; isSocket(): boolean; isFIFO(): boolean }[];
  try {
    found = await readdir(place, { recursive: true, withFileTypes: true });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    // ENOTDIR: `place` is a file or a socket of its own.
    return code === 'ENOTDIR' ? [`${place} (${await kindOf(place)})`] : [];
  }
  return found.map((entry) => {
    const kind = entry.isSocket() ? ' (socket)' : entry.isFIFO() ? ' (fifo)' : '';
    return `${path.join(entry.parentPath, entry.name)}${kind}`;
  });
};

const kindOf = async (file: string): Promise<string> => {
  const stats = await lstat(file);
  return stats.isSocket() ? 'socket' : stats.isFIFO() ? 'fifo' : 'file';
};

const tapsWithPrefix = async (prefix: string): Promise<string[]> => {
  try {
    const { stdout } = await run(IP, ['-json', 'link'], { timeout: 10_000 });
    return (JSON.parse(stdout) as { ifname: string }[])
      .map((link) => link.ifname)
      .filter((name) => name.startsWith(prefix));
  } catch {
    return [];
  }
};

/**
 * Makes a load run in a fresh `/tmp/kindling-<label>-…` folder (mode 0755, so that a jail's
 * dropped uid can walk down to it): a fake kernel, and a fake installation per fault profile
 * (`{ clean: {} }`: one without faults).
 */
export const createLoadRun = async (
  label: string,
  profiles: Readonly<Record<string, FakeSwitches>>,
): Promise<LoadRun> => {
  const dir = await mkdtemp(path.join(os.tmpdir(), `kindling-${label}-`));
  try {
    await chmod(dir, 0o755);
    const folders = {
      vmsDir: path.join(dir, 'vms'),
      jailBaseDir: path.join(dir, 'jail'),
      stateDir: path.join(dir, 'state'),
      networkStateDir: path.join(dir, 'net-state'),
      socketDir: path.join(dir, 'run'),
      cgroupRoot: path.join(dir, 'cgroup'),
    };
    for (const folder of Object.values(folders)) {
      await mkdir(folder, { recursive: true, mode: 0o755 });
    }
    const installations = new Map<string, VmmInstallation>();
    for (const [name, switches] of Object.entries(profiles)) {
      const fake = await createFakeInstallation(path.join(dir, 'bin', name), {
        env: buildFakeEnv({ cgroupRoot: folders.cgroupRoot, ...switches }),
      });
      installations.set(name, new VmmInstallation(fake));
    }
    const kernelPath = await writeFakeKernel(path.join(dir, 'vmlinux'));
    // Two letters and four hex digits: the run's TAPs are told apart from everyone else's.
    const tapPrefix = `kl${randomBytes(2).toString('hex')}`;
    const scope = {
      runDir: dir,
      socketDirs: [dir],
      jailBaseDirs: [folders.jailBaseDir],
      cgroupRoots: [folders.cgroupRoot],
      stateDirs: [folders.stateDir, folders.networkStateDir],
      tapPrefix,
      namespaces: new Set<string>(),
      nftTables: new Set<string>(),
    };
    let counter = 0;
    const sweep = async (): Promise<string[]> => {
      const removed: string[] = [];
      for (const pid of await listProcessesOf(dir)) {
        try {
          process.kill(pid, 'SIGKILL');
          removed.push(`process ${pid}`);
        } catch {
          // Gone already.
        }
      }
      for (const tap of await tapsWithPrefix(tapPrefix)) {
        removed.push(...((await quietly(IP, ['link', 'del', tap])) ? [`TAP ${tap}`] : []));
      }
      for (const ns of scope.namespaces) {
        removed.push(...((await quietly(IP, ['netns', 'del', ns])) ? [`netns ${ns}`] : []));
      }
      for (const table of scope.nftTables) {
        const deleted = await quietly(NFT, ['delete', 'table', 'ip', table]);
        removed.push(...(deleted ? [`nft table ${table}`] : []));
      }
      // Sockets and FIFOs no VM's teardown found (e.g. under a name no cleanup knows).
      const strays = (await listTree(dir)).filter((entry) => / \((socket|fifo)\)$/u.test(entry));
      removed.push(...strays.map((entry) => path.relative(dir, entry)));
      await rm(dir, { recursive: true, force: true, maxRetries: 3 });
      return removed;
    };
    return {
      dir,
      kernelPath,
      installations,
      ...folders,
      scope,
      nextId: (tag) => {
        counter += 1;
        return `${tapPrefix}${tag}${counter}`;
      },
      census: () => takeHostCensus(scope),
      removeLeftoversOf: async (id) => {
        const vmDir = path.join(folders.vmsDir, id);
        const found = [
          ...(await listTree(vmDir)),
          ...(await listTree(path.join(folders.socketDir, `${id}.sock`))),
          ...(await listTree(path.join(folders.jailBaseDir, 'firecracker', id))),
        ].map((entry) => path.relative(dir, entry));
        for (const place of [vmDir, path.join(folders.socketDir, `${id}.sock`)]) {
          await rm(place, { recursive: true, force: true });
        }
        await rm(path.join(folders.jailBaseDir, 'firecracker', id), {
          recursive: true,
          force: true,
        });
        return found;
      },
      sweep,
      [Symbol.asyncDispose]: async () => {
        await sweep();
      },
    };
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
};
