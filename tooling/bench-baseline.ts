// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

// The Node baseline the lifecycle benchmarks compare Kindling with: Firecracker driven by hand
// with child_process.spawn, fs.watch on the socket's folder, HTTP/1.1 written on one keep-alive
// node:net connection, and fs.rm. Jailed, it spawns the jailer with the arguments Kindling's
// JailedExecutor gives it (daemonized, new pid namespace, as the jail's user), lays out the jail
// as Kindling does (a private chroot, the socket's folder, the kernel hard-linked in and handed to
// the jail's user), finds Firecracker through the pid file, and removes the jail afterwards.
// Node built-ins only.

import { spawn } from 'node:child_process';
import { once } from 'node:events';
import {
  chown,
  copyFile,
  link,
  lstat,
  mkdir,
  readFile,
  realpath,
  rm,
  rmdir,
} from 'node:fs/promises';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import process from 'node:process';
import { setTimeout as delay } from 'node:timers/promises';
import type { BenchGuest, LifecycleMarks } from './bench-lifecycle.ts';
import { connectWhenReady, RawApi } from './bench-raw-api.ts';

/** Where the baseline puts a jailed VM, and as whom it runs. */
export interface BaselineJail {
  readonly jailerPath: string;
  readonly chrootBaseDir: string;
  readonly uid: number;
  readonly gid: number;
}

/** One VM the baseline drives. */
export interface BaselineVmOptions {
  readonly firecrackerPath: string;
  readonly id: string;
  /** The API socket of an unrestricted VM (a jailed one's is `<root>/run/firecracker.socket`). */
  readonly socketPath?: string;
  /** Run under the jailer. */
  readonly jail?: BaselineJail;
  /** How long to wait for the socket, the pid file and the end (default 15 000 ms). */
  readonly timeoutMs?: number;
}

const JAILED_SOCKET = '/run/firecracker.socket';

// A process that is not our child (the jailer forked it off) ends when /proc has no entry for it
// or shows it a zombie; Node has no pidfd, so the baseline looks every millisecond.
const isGone = async (pid: number): Promise<boolean> => {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'latin1');
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    return state === 'Z' || state === 'X';
  } catch {
    return true;
  }
};

const waitUntilGone = async (pid: number, timeoutMs: number): Promise<void> => {
  const deadline = performance.now() + timeoutMs;
  while (!(await isGone(pid))) {
    if (performance.now() > deadline) {
      throw new Error(`process ${pid} did not end within ${timeoutMs} ms`);
    }
    await delay(1);
  }
};

const readPid = async (pidFile: string, timeoutMs: number): Promise<number> => {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const text = await readFile(pidFile, 'utf8').catch(() => '');
    if (/^\d+$/u.test(text.trim())) {
      return Number(text.trim());
    }
    if (performance.now() > deadline) {
      throw new Error(`${pidFile} held no pid within ${timeoutMs} ms`);
    }
    await delay(1);
  }
};

interface LinkedFile {
  readonly target: string;
  readonly uid: number;
  readonly gid: number;
}

/** A Firecracker driven by hand: lay out, spawn, wait for the socket, call, kill, clean up. */
export class BaselineVm {
  readonly options: BaselineVmOptions;
  /** The API socket's host path. */
  readonly socketPath: string;
  readonly #timeoutMs: number;
  readonly #jailDir: string | undefined;
  readonly #rootDir: string | undefined;
  #pidFile: string | undefined;
  #linked: LinkedFile[] = [];
  #childExit: Promise<unknown> | undefined;
  #pid: number | undefined;
  api: RawApi | undefined;

  private constructor(options: BaselineVmOptions, execName: string) {
    this.options = options;
    this.#timeoutMs = options.timeoutMs ?? 15_000;
    if (options.jail === undefined) {
      if (options.socketPath === undefined) {
        throw new Error('BaselineVm: an unrestricted VM needs socketPath');
      }
      this.socketPath = options.socketPath;
    } else {
      this.#jailDir = path.join(options.jail.chrootBaseDir, execName, options.id);
      this.#rootDir = path.join(this.#jailDir, 'root');
      this.#pidFile = path.join(this.#rootDir, `${execName}.pid`);
      this.socketPath = path.join(this.#rootDir, JAILED_SOCKET);
    }
  }

  /**
   * Lays out what the VM needs before its spawn: a stale socket removed, or a fresh jail with the
   * guest's files linked in (`files`: host paths; they land at `/<name>` in the jail).
   */
  static async prepare(
    options: BaselineVmOptions,
    files: readonly string[] = [],
  ): Promise<BaselineVm> {
    // The jailer names the jail after the exec file's canonical name, as Kindling works it out.
    const execName = path.basename(await realpath(options.firecrackerPath));
    const vm = new BaselineVm(options, execName);
    const { jail } = options;
    if (jail === undefined) {
      await rm(vm.socketPath, { force: true });
      return vm;
    }
    const jailDir = vm.#jailDir as string;
    const rootDir = vm.#rootDir as string;
    await rm(jailDir, { recursive: true, force: true });
    await mkdir(rootDir, { recursive: true, mode: 0o700 });
    const socketDir = path.dirname(vm.socketPath);
    await mkdir(socketDir, { mode: 0o700 });
    await chown(socketDir, jail.uid, jail.gid);
    for (const file of files) {
      const target = path.join(rootDir, path.basename(file));
      const owner = await lstat(file);
      await link(file, target).catch(async (error: NodeJS.ErrnoException) => {
        if (error.code !== 'EXDEV') {
          throw error;
        }
        await copyFile(file, target);
      });
      vm.#linked.push({ target, uid: owner.uid, gid: owner.gid });
      await chown(target, jail.uid, jail.gid);
    }
    await chown(rootDir, jail.uid, jail.gid);
    return vm;
  }

  /** A path of the guest's files as Firecracker sees it. */
  seen(hostPath: string): string {
    return this.options.jail === undefined ? hostPath : `/${path.basename(hostPath)}`;
  }

  /** Spawns Firecracker (or the jailer, then reads Firecracker's pid from its pid file). */
  async spawn(): Promise<void> {
    const { jail, firecrackerPath, id } = this.options;
    if (jail === undefined) {
      const child = spawn(firecrackerPath, ['--api-sock', this.socketPath, '--id', id], {
        stdio: 'ignore',
      });
      this.#childExit = once(child, 'exit');
      this.#pid = child.pid;
      return;
    }
    const jailer = spawn(
      jail.jailerPath,
      // As JailerArguments.toArgs() writes them for Kindling's JailedExecutor.
      [
        '--id',
        id,
        '--exec-file',
        firecrackerPath,
        '--uid',
        String(jail.uid),
        '--gid',
        String(jail.gid),
        '--chroot-base-dir',
        jail.chrootBaseDir,
        '--daemonize',
        '--new-pid-ns',
        '--',
      ],
      { stdio: 'ignore' },
    );
    const [code] = (await once(jailer, 'exit')) as [number | null];
    if (code !== 0) {
      throw new Error(`the jailer ended with ${code}`);
    }
    this.#pid = await readPid(this.#pidFile as string, this.#timeoutMs);
  }

  /** Waits for the socket to accept and keeps that connection for the API. */
  async waitReady(): Promise<RawApi> {
    this.api = new RawApi(await connectWhenReady(this.socketPath, this.#timeoutMs));
    return this.api;
  }

  /** `PUT /machine-config`, then `PUT /boot-source`. */
  async configure(guest: BenchGuest): Promise<void> {
    const api = this.api as RawApi;
    await api.call('PUT', '/machine-config', {
      vcpu_count: guest.vcpuCount,
      mem_size_mib: guest.memSizeMib,
    });
    await api.call('PUT', '/boot-source', {
      kernel_image_path: this.seen(guest.kernelPath),
      boot_args: guest.bootArgs,
      ...(guest.initrdPath === undefined ? {} : { initrd_path: this.seen(guest.initrdPath) }),
    });
  }

  async instanceStart(): Promise<void> {
    await (this.api as RawApi).call('PUT', '/actions', { action_type: 'InstanceStart' });
  }

  async pause(): Promise<void> {
    await (this.api as RawApi).call('PATCH', '/vm', { state: 'Paused' });
  }

  /** SIGKILL, then waits until the process has ended. */
  async kill(): Promise<void> {
    this.api?.close();
    const pid = this.#pid as number;
    process.kill(pid, 'SIGKILL');
    await (this.#childExit ?? waitUntilGone(pid, this.#timeoutMs));
  }

  /** After a failure: kills the process if it runs, then cleans up; never throws. */
  async abandon(): Promise<void> {
    this.api?.close();
    const pid = this.#pid;
    if (pid !== undefined && !(await isGone(pid))) {
      try {
        process.kill(pid, 'SIGKILL');
        await (this.#childExit ?? waitUntilGone(pid, this.#timeoutMs));
      } catch {
        // Already gone.
      }
    }
    await this.cleanup().catch(() => {});
  }

  /** Removes the socket, or the jail (giving linked files their owner back) and its folder. */
  async cleanup(): Promise<void> {
    if (this.#jailDir === undefined) {
      await rm(this.socketPath, { force: true });
      return;
    }
    for (const file of this.#linked) {
      await chown(file.target, file.uid, file.gid);
    }
    await rm(this.#jailDir, { recursive: true, force: true });
    await rmdir(path.dirname(this.#jailDir)).catch(() => {});
  }
}

/** What a lifecycle's caller hooks in between the steps. */
export interface LifecycleHooks {
  /** After the layout, before the spawn: where the harness arms its socket watch. */
  readonly beforeSpawn?: (socketPath: string) => void;
}

/**
 * The lifecycle, by hand: lay out, spawn, wait for the socket, PUT /machine-config,
 * PUT /boot-source, InstanceStart, pause, SIGKILL, wait for the end, clean up; with its marks.
 */
export const runBaselineLifecycle = async (
  options: BaselineVmOptions,
  guest: BenchGuest,
  marks: LifecycleMarks,
  hooks: LifecycleHooks = {},
): Promise<void> => {
  marks.start = performance.now();
  const files = [guest.kernelPath, ...(guest.initrdPath === undefined ? [] : [guest.initrdPath])];
  const vm = await BaselineVm.prepare(options, options.jail === undefined ? [] : files);
  try {
    hooks.beforeSpawn?.(vm.socketPath);
    marks.spawnCalled = performance.now();
    await vm.spawn();
    await vm.waitReady();
    marks.ready = performance.now();
    await vm.configure(guest);
    marks.configured = performance.now();
    await vm.instanceStart();
    marks.instanceStarted = performance.now();
    await vm.pause();
    marks.paused = performance.now();
    await vm.kill();
    marks.exited = performance.now();
    await vm.cleanup();
    marks.cleaned = performance.now();
  } catch (error) {
    await vm.abandon();
    throw error;
  }
};
