// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';
import { isRoot } from '@kindling/test-utils';

const execFileAsync = promisify(execFile);

const TOOLS = ['/usr/sbin/ip', '/usr/sbin/nft', '/usr/sbin/sysctl'];

/** Why this run cannot make TAPs, namespaces and nft tables (undefined when it can). */
export const noNetAdmin: string | undefined = isRoot
  ? TOOLS.every((tool) => existsSync(tool))
    ? undefined
    : 'needs ip, nft and sysctl in /usr/sbin'
  : 'needs root (CAP_NET_ADMIN), as ext-network does';

/** What a title ends with: the reason it is skipped, when it is ('' when it runs). */
export const skipNote = (reason: string | undefined): string =>
  reason === undefined ? '' : ` [skipped: ${reason}]`;

const lines = async (binary: string, args: readonly string[]): Promise<string[]> =>
  (await execFileAsync(binary, args)).stdout
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '');

/** The host's links, named namespaces and nft tables, by name, sorted. */
export interface HostNetwork {
  readonly links: readonly string[];
  readonly namespaces: readonly string[];
  readonly nftTables: readonly string[];
}

/** What `ip -o link`, `ip netns list` and `nft list tables` show now. */
export const readHostNetwork = async (): Promise<HostNetwork> => ({
  // `3: eth0@if4: <…` → `eth0`.
  links: (await lines('/usr/sbin/ip', ['-o', 'link', 'show']))
    .map((line) => line.split(': ')[1]?.split('@')[0] ?? line)
    .toSorted(),
  namespaces: (await lines('/usr/sbin/ip', ['netns', 'list']))
    .map((line) => line.split(' ')[0] ?? line)
    .toSorted(),
  nftTables: (await lines('/usr/sbin/nft', ['list', 'tables'])).toSorted(),
});

// The names ext-network gives what it makes: TAPs kt<token>, veths kv<token>, namespaces
// kindling-<token>, nft tables kindling_<token>.
const NETWORK_NAME = /(?:k[tv]|kindling[-_])([0-9a-f]{10})/u;

/**
 * The host without the networks of other test runs: other packages' tests (ext-network's) make
 * and remove networks of their own at the same time, under tokens other than this run's.
 */
export const withoutOthers = (host: HostNetwork, tokens: readonly string[]): HostNetwork => {
  const ours = (name: string): boolean => {
    const token = NETWORK_NAME.exec(name)?.[1];
    return token === undefined || tokens.includes(token);
  };
  return {
    links: host.links.filter(ours),
    namespaces: host.namespaces.filter(ours),
    nftTables: host.nftTables.filter(ours),
  };
};
