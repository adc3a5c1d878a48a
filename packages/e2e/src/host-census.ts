// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { execFile } from 'node:child_process';
import { readdir, readFile, readlink } from 'node:fs/promises';
import { promisify } from 'node:util';
import { collectGarbage } from './collect-garbage.ts';

const run = promisify(execFile);

/** What a census looks at: a load run's folders and the host names it made. */
export interface CensusScope {
  /** The run's folder: a process whose command line, cwd or environment points here is its. */
  readonly runDir: string;
  /** Folders whose sockets and FIFOs are counted (recursively). */
  readonly socketDirs: readonly string[];
  /** Jail roots (`--chroot-base-dir`): every folder below them counts. */
  readonly jailBaseDirs: readonly string[];
  /** The fake jailer's cgroup roots (KINDLING_FAKE_CGROUP_ROOT): every folder below them counts. */
  readonly cgroupRoots: readonly string[];
  /** State folders (`stateDir` of VMs and networks): every file below them counts. */
  readonly stateDirs: readonly string[];
  /** The prefix of every TAP device the run names. */
  readonly tapPrefix: string;
  /** The namespaces and nft tables the run's networks made (others' are not counted). */
  readonly namespaces: ReadonlySet<string>;
  readonly nftTables: ReadonlySet<string>;
}

/** The host resources a load run could leak, at one moment. */
export interface HostCensus {
  /** This process's open file descriptors, and by kind (socket, pipe, anon_inode, file). */
  readonly fds: number;
  readonly fdKinds: Readonly<Record<string, number>>;
  /** Resident set and V8 heap in use, after a garbage collection when one can be asked for. */
  readonly rssMib: number;
  readonly heapMib: number;
  /** This process's children still running (not zombies). */
  readonly children: number;
  /** Processes of the run: their command line, cwd or environment points into its folder. */
  readonly processes: number;
  readonly taps: number;
  readonly namespaces: number;
  readonly nftTables: number;
  readonly jailFolders: number;
  readonly cgroupFolders: number;
  readonly socketsAndFifos: number;
  readonly stateRecords: number;
}

/** The counts of a census that must come back to where they started exactly. */
export const EXACT_COUNTS = [
  'fds',
  'children',
  'processes',
  'taps',
  'namespaces',
  'nftTables',
  'jailFolders',
  'cgroupFolders',
  'socketsAndFifos',
  'stateRecords',
] as const satisfies readonly (keyof HostCensus)[];

const MIB = 1024 * 1024;

const readdirOrNone = async (folder: string) => {
  try {
    return await readdir(folder, { recursive: true, withFileTypes: true });
  } catch {
    return [];
  }
};

const countEntries = async (
  folders: readonly string[],
  keep: (entry: Awaited<ReturnType<typeof readdirOrNone>>[number]) => boolean,
): Promise<number> => {
  let count = 0;
  for (const folder of folders) {
    count += (await readdirOrNone(folder)).filter(keep).length;
  }
  return count;
};

// The kind of an fd from its link: `socket:[…]`, `pipe:[…]`, `anon_inode:[eventfd]`, or a path.
const kindOfLink = (link: string): string =>
  /^([a-z_]+):/u.exec(link)?.[1] ?? (link.startsWith('/') ? 'file' : 'other');

const countFds = async (): Promise<{ fds: number; fdKinds: Record<string, number> }> => {
  const names = await readdir('/proc/self/fd');
  const fdKinds: Record<string, number> = {};
  let fds = 0;
  for (const name of names) {
    const link = await readlink(`/proc/self/fd/${name}`).catch(() => '');
    // The fd readdir itself used is closed by now.
    if (link === '') {
      continue;
    }
    fds += 1;
    const kind = kindOfLink(link);
    fdKinds[kind] = (fdKinds[kind] ?? 0) + 1;
  }
  return { fds, fdKinds };
};

// A zombie has exited (only its parent's wait is missing), so it does not count as running.
const parseStat = (stat: string): { state: string; ppid: number } => {
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return { state: fields[0] ?? '', ppid: Number(fields[1]) };
};

const readOrEmpty = (file: string): Promise<string> => readFile(file, 'latin1').catch(() => '');

// A jailed fake runs with paths relative to its jail: its cwd and KINDLING_FAKE_CHROOT say whose.
const pointsInto = async (pid: number, dir: string): Promise<boolean> =>
  (await readOrEmpty(`/proc/${pid}/cmdline`)).includes(dir) ||
  (await readlink(`/proc/${pid}/cwd`).catch(() => '')).startsWith(dir) ||
  (await readOrEmpty(`/proc/${pid}/environ`)).includes(dir);

/** Running processes (not zombies, not this one), and whether each is this process's child. */
const listRunningProcesses = async (): Promise<{ pid: number; child: boolean }[]> => {
  const found: { pid: number; child: boolean }[] = [];
  for (const name of await readdir('/proc')) {
    const pid = Number(name);
    if (!Number.isInteger(pid) || pid === process.pid) {
      continue;
    }
    const { state, ppid } = parseStat(await readOrEmpty(`/proc/${pid}/stat`));
    if (state !== '' && state !== 'Z') {
      found.push({ pid, child: ppid === process.pid });
    }
  }
  return found;
};

/** The running processes whose command line, cwd or environment points into `dir`. */
export const listProcessesOf = async (dir: string): Promise<number[]> => {
  const pids: number[] = [];
  for (const { pid } of await listRunningProcesses()) {
    if (await pointsInto(pid, dir)) {
      pids.push(pid);
    }
  }
  return pids;
};

const countProcesses = async (
  runDir: string,
): Promise<{ children: number; processes: number }> => ({
  children: (await listRunningProcesses()).filter((found) => found.child).length,
  processes: (await listProcessesOf(runDir)).length,
});

const jsonOf = async (file: string, args: readonly string[]): Promise<unknown> => {
  try {
    const { stdout } = await run(file, args, { timeout: 10_000 });
    return stdout.trim() === '' ? [] : (JSON.parse(stdout) as unknown);
  } catch {
    return [];
  }
};

const countNetwork = async (
  scope: CensusScope,
): Promise<{ taps: number; namespaces: number; nftTables: number }> => {
  const links = (await jsonOf('/usr/sbin/ip', ['-json', 'link'])) as { ifname?: string }[];
  const namespaces = (await jsonOf('/usr/sbin/ip', ['-json', 'netns', 'list'])) as {
    name?: string;
  }[];
  const tables = (await jsonOf('/usr/sbin/nft', ['-j', 'list', 'tables'])) as {
    nftables?: { table?: { name?: string } }[];
  };
  return {
    taps: links.filter((link) => link.ifname?.startsWith(scope.tapPrefix) === true).length,
    namespaces: namespaces.filter((ns) => scope.namespaces.has(ns.name ?? '')).length,
    nftTables: (tables.nftables ?? []).filter((item) => scope.nftTables.has(item.table?.name ?? ''))
      .length,
  };
};

/**
 * Counts what a load run could leave behind: this process's fds, memory (after a GC when
 * possible) and children; the run's processes, TAPs, namespaces, nft tables, jail and cgroup
 * folders, sockets and FIFOs, and state records.
 */
export const takeHostCensus = async (scope: CensusScope): Promise<HostCensus> => {
  collectGarbage();
  const memory = process.memoryUsage();
  return {
    ...(await countFds()),
    rssMib: memory.rss / MIB,
    heapMib: memory.heapUsed / MIB,
    ...(await countProcesses(scope.runDir)),
    ...(await countNetwork(scope)),
    jailFolders: await countEntries(scope.jailBaseDirs, (entry) => entry.isDirectory()),
    cgroupFolders: await countEntries(scope.cgroupRoots, (entry) => entry.isDirectory()),
    socketsAndFifos: await countEntries(
      scope.socketDirs,
      (entry) => entry.isSocket() || entry.isFIFO(),
    ),
    stateRecords: await countEntries(scope.stateDirs, (entry) => !entry.isDirectory()),
  };
};

/** How much memory may grow between two censuses before it counts as a leak. */
export interface MemoryTolerance {
  readonly rssMib: number;
  readonly heapMib: number;
}

/**
 * What did not come back: every exact count above its level in `before`, and memory beyond
 * the tolerance; empty when everything did.
 */
export const compareCensus = (
  before: HostCensus,
  after: HostCensus,
  tolerance: MemoryTolerance,
): string[] => {
  const problems = EXACT_COUNTS.filter((key) => after[key] > before[key]).map(
    (key) => `${key}: ${before[key]} before, ${after[key]} after`,
  );
  for (const key of ['rssMib', 'heapMib'] as const) {
    if (after[key] - before[key] > tolerance[key]) {
      problems.push(
        `${key}: grew ${(after[key] - before[key]).toFixed(1)} MiB (tolerance ${tolerance[key]} MiB)`,
      );
    }
  }
  return problems;
};

/** A census on one line: `fds 31 (socket 4, pipe 6, …) rss 98.1 MiB …`. */
export const formatCensus = (census: HostCensus): string => {
  const kinds = Object.entries(census.fdKinds)
    .map(([kind, count]) => `${kind} ${count}`)
    .join(', ');
  const counts = EXACT_COUNTS.filter((key) => key !== 'fds')
    .map((key) => `${key} ${census[key]}`)
    .join(', ');
  return `fds ${census.fds} (${kinds}), rss ${census.rssMib.toFixed(1)} MiB, heap ${census.heapMib.toFixed(1)} MiB, ${counts}`;
};
