// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import type { ProcessSpawner } from '@kindling/spawner';
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

// What each tool says when what is being removed is not there (any more).
const GONE = {
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
    netns: string | undefined,
    extra: { readonly input?: string; readonly alreadyDone?: RegExp } = {},
  ): Promise<CommandOutput> {
    const { spawner, iproute2Path, timeoutMs, signal } = this.#options;
    const [command, commandArgs] =
      netns === undefined
        ? [binary, args]
        : [iproute2Path, ['netns', 'exec', netns, binary, ...args]];
    return runCommand(spawner, command, commandArgs, { timeoutMs, signal, ...extra });
  }

  /** `ip <args>`, in `netns` when given (`ip -n`, which needs no mount namespace). */
  async ip(args: readonly string[], netns?: string): Promise<void> {
    const scoped = netns === undefined ? args : ['-n', netns, ...args];
    await this.#run(this.#options.iproute2Path, scoped, undefined);
  }

  /** `ip -json <args>`, parsed. */
  async ipJson(args: readonly string[], netns?: string): Promise<unknown> {
    const scoped = netns === undefined ? ['-json', ...args] : ['-n', netns, '-json', ...args];
    const { stdout } = await this.#run(this.#options.iproute2Path, scoped, undefined);
    return stdout.trim() === '' ? [] : (JSON.parse(stdout) as unknown);
  }

  /** Applies an nft script atomically (`nft -f -`): all of it or nothing. */
  async nft(script: string, netns?: string): Promise<void> {
    await this.#run(this.#options.nftPath, ['-f', '-'], netns, { input: script });
  }

  /** Sets a sysctl (`sysctl -w key=value`), in `netns` when given. */
  async sysctl(key: string, value: string, netns?: string): Promise<void> {
    await this.#run(this.#options.sysctlPath, ['-q', '-w', `${key}=${value}`], netns);
  }

  /** Removes a link; one already gone is fine. */
  async deleteLink(name: string, netns?: string): Promise<void> {
    const scoped = netns === undefined ? [] : ['-n', netns];
    await this.#run(
      this.#options.iproute2Path,
      [...scoped, 'link', 'delete', 'dev', name],
      undefined,
      {
        alreadyDone: GONE.link,
      },
    );
  }

  /** Removes a named namespace (and every link in it); one already gone is fine. */
  async deleteNetns(name: string): Promise<void> {
    await this.#run(this.#options.iproute2Path, ['netns', 'delete', name], undefined, {
      alreadyDone: GONE.netns,
    });
  }

  /** Removes an nft table of the host's; one already gone is fine. */
  async deleteNftTable(family: string, name: string): Promise<void> {
    await this.#run(this.#options.nftPath, ['delete', 'table', family, name], undefined, {
      alreadyDone: GONE.nftTable,
    });
  }
}
