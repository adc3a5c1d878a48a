// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';
import { isRoot } from '@kindling/test-utils';

const execFileAsync = promisify(execFile);

/** Whether this run can make TAPs, namespaces and nft tables: root, with ip and nft installed. */
export const canManageNetwork =
  isRoot &&
  existsSync('/usr/sbin/ip') &&
  existsSync('/usr/sbin/nft') &&
  existsSync('/usr/sbin/sysctl');

/** What a title says when the kernel tests are skipped here: the reason, or nothing. */
export const NET_ADMIN_NOTE = canManageNetwork
  ? ''
  : ' [needs root (CAP_NET_ADMIN) and ip, nft and sysctl in /usr/sbin; skipped here]';

const ipJson = async <T>(args: readonly string[]): Promise<T[]> => {
  const { stdout } = await execFileAsync('/usr/sbin/ip', ['-json', ...args]);
  return stdout.trim() === '' ? [] : (JSON.parse(stdout) as T[]);
};

/** The kernel's view of the host's network: link names, namespaces and nft tables. */
export interface HostNetworkView {
  readonly links: string[];
  readonly namespaces: string[];
  readonly tables: string[];
}

/** `ip -json link`, `ip -json netns list` and `nft -j list ruleset`, reduced to names. */
export const readHostNetwork = async (): Promise<HostNetworkView> => {
  const links = (await ipJson<{ ifname: string }>(['link', 'show'])).map((link) => link.ifname);
  const namespaces = (await ipJson<{ name: string }>(['netns', 'list'])).map((ns) => ns.name);
  const { stdout } = await execFileAsync('/usr/sbin/nft', ['-j', 'list', 'ruleset']);
  const items = (
    JSON.parse(stdout) as { nftables?: { table?: { family: string; name: string } }[] }
  ).nftables;
  const tables = (items ?? []).flatMap((item) =>
    item.table === undefined ? [] : [`${item.table.family} ${item.table.name}`],
  );
  return { links, namespaces, tables };
};

/** The links inside a namespace (`ip -n <ns> -json link`). */
export const linksIn = async (netns: string): Promise<string[]> =>
  (await ipJson<{ ifname: string }>(['-n', netns, 'link', 'show'])).map((link) => link.ifname);
