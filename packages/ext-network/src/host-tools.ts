// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { DirectSpawner, type ProcessSpawner } from '@kindling/spawner';
import { runCommand, type CommandOutput } from './run-command.js';

/** The programs a network is made with, and how they are run. */
export interface HostToolsOptions {
  readonly spawner: ProcessSpawner;
  readonly iproute2Path: string;
  readonly nftPath: string;
  readonly sysctlPath: string;
  /** The bound of each command. */
  readonly timeoutMs: number;
  readonly signal?: AbortSignal | undefined;
}

/** What each tool says when what is being removed is not there (any more). */
export const GONE = {
  link: /Cannot find device/u,
  netns: /No such file or directory/u,
  nftTable: /No such file or directory/u,
} as const;

/**
 * iproute2, nftables and sysctl, run through a `ProcessSpawner` so that a service that is not
 * root can give an elevated one (`SudoSpawner`). `netns` runs a command inside that namespace.
 */
export class HostTools {
  readonly #options: HostToolsOptions;

  constructor(options: HostToolsOptions) {
    this.#options = options;
  }

  #run(
    binary: string,
    args: readonly string[],
    extra: {
      readonly netns?: string | undefined;
      readonly input?: string;
      readonly alreadyDone?: RegExp;
    } = {},
  ): Promise<CommandOutput> {
    const { netns, ...rest } = extra;
    const { spawner, iproute2Path, timeoutMs, signal } = this.#options;
    const [command, commandArgs] =
      netns === undefined
        ? [binary, args]
        : [iproute2Path, ['netns', 'exec', netns, binary, ...args]];
    return runCommand(spawner, command, commandArgs, { timeoutMs, signal, ...rest });
  }

  /** `ip <args>`, in `netns` when given (`ip -n`, which needs no mount namespace). */
  async ip(args: readonly string[], netns?: string): Promise<void> {
    const scoped = netns === undefined ? args : ['-n', netns, ...args];
    await this.#run(this.#options.iproute2Path, scoped);
  }

  /**
   * Several `ip` commands in one process (`ip -batch -`), in order, stopping at the first that
   * fails: a process per command would be most of the time a network takes to make.
   */
  async ipBatch(commands: readonly (readonly string[])[], netns?: string): Promise<void> {
    const scoped = netns === undefined ? ['-batch', '-'] : ['-n', netns, '-batch', '-'];
    // Names and addresses never hold whitespace (checked up front): a line is its words.
    await this.#run(this.#options.iproute2Path, scoped, {
      input: `${commands.map((command) => command.join(' ')).join('\n')}\n`,
    });
  }

  /** Applies an nft script atomically (`nft -f -`): all of it or nothing. */
  async nft(script: string, netns?: string): Promise<void> {
    await this.#run(this.#options.nftPath, ['-f', '-'], { netns, input: script });
  }

  /** Sets a sysctl (`sysctl -w key=value`), in `netns` when given. */
  async sysctl(key: string, value: string, netns?: string): Promise<void> {
    await this.#run(this.#options.sysctlPath, ['-q', '-w', `${key}=${value}`], { netns });
  }

  /** Removes a link; one already gone is fine. */
  async deleteLink(name: string, netns?: string): Promise<void> {
    const scoped = netns === undefined ? [] : ['-n', netns];
    await this.#run(this.#options.iproute2Path, [...scoped, 'link', 'delete', 'dev', name], {
      alreadyDone: GONE.link,
    });
  }

  /** Removes a named namespace (and every link in it); one already gone is fine. */
  async deleteNetns(name: string): Promise<void> {
    await this.#run(this.#options.iproute2Path, ['netns', 'delete', name], {
      alreadyDone: GONE.netns,
    });
  }

  /** Removes an nft table of the host's; one already gone is fine. */
  async deleteNftTable(family: string, name: string): Promise<void> {
    await this.#run(this.#options.nftPath, ['delete', 'table', family, name], {
      alreadyDone: GONE.nftTable,
    });
  }
}

/** The tools as options name them: `ip`, `nft` and `sysctl` through `spawner` (default direct). */
export const createHostTools = (
  options: {
    readonly spawner?: ProcessSpawner | undefined;
    readonly iproute2Path: string;
    readonly nftPath: string;
    readonly sysctlPath: string;
    readonly timeoutMs: number;
  },
  signal?: AbortSignal,
): HostTools =>
  new HostTools({
    spawner: options.spawner ?? new DirectSpawner(),
    iproute2Path: options.iproute2Path,
    nftPath: options.nftPath,
    sysctlPath: options.sysctlPath,
    timeoutMs: options.timeoutMs,
    signal,
  });
