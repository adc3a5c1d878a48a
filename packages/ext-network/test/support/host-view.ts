// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import type { NetworkPlan } from '@kindling/ext-network';
import { isRoot } from '@kindling/test-utils';

const execFileAsync = promisify(execFile);

/** Whether this run can make TAPs, namespaces and nft tables: root, with ip and nft installed. */
export const canManageNetwork =
  isRoot &&
  existsSync('/usr/sbin/ip') &&
  existsSync('/usr/sbin/nft') &&
  existsSync('/usr/sbin/sysctl');

/** The reason, in a test's title, that it is skipped without CAP_NET_ADMIN or the tools. */
export const NEEDS_NET_ADMIN =
  '[needs root (CAP_NET_ADMIN) and ip, nft and sysctl in /usr/sbin; skipped here]';

/** What a title says when the kernel tests are skipped here: the reason, or nothing. */
export const NET_ADMIN_NOTE = canManageNetwork ? '' : ` ${NEEDS_NET_ADMIN}`;

/** `ip -json <args>` (in `netns` when given), parsed. */
export const ipJson = async (args: readonly string[], netns?: string): Promise<unknown> => {
  const scoped = netns === undefined ? ['-json', ...args] : ['-n', netns, '-json', ...args];
  const { stdout } = await execFileAsync('/usr/sbin/ip', scoped);
  return stdout.trim() === '' ? [] : (JSON.parse(stdout) as unknown);
};

/** `nft -j list ruleset` (in `netns` when given), parsed: the kernel's view of every table. */
export const nftRuleset = async (netns?: string): Promise<unknown> => {
  const [binary, args] =
    netns === undefined
      ? ['/usr/sbin/nft', ['-j', 'list', 'ruleset']]
      : ['/usr/sbin/ip', ['netns', 'exec', netns, '/usr/sbin/nft', '-j', 'list', 'ruleset']];
  const { stdout } = await execFileAsync(binary, args);
  return JSON.parse(stdout) as unknown;
};

/** The names of the nft tables in a ruleset (`family name`). */
export const nftTables = (ruleset: unknown): string[] =>
  (
    (ruleset as { nftables: Record<string, { family: string; name: string }>[] }).nftables ?? []
  ).flatMap((item) =>
    item['table'] === undefined ? [] : [`${item['table'].family} ${item['table'].name}`],
  );

/** Whether a link of that name exists (in `netns` when given), by the kernel's word. */
export const linkExists = async (name: string, netns?: string): Promise<boolean> =>
  ((await ipJson(['link', 'show'], netns)) as { ifname: string }[]).some(
    (link) => link.ifname === name,
  );

/** The named network namespaces. */
export const netnsNames = async (): Promise<string[]> =>
  ((await ipJson(['netns', 'list'])) as { name: string }[]).map((item) => item.name);

/** Everything a network could change on the host, to compare before and after. */
export interface HostView {
  readonly links: unknown;
  readonly netns: readonly string[];
  readonly ruleset: unknown;
  readonly ipForward: string;
}

/** The host as `ip -json link`, `ip netns list`, `nft -j list ruleset` and ip_forward show it. */
export const readHostView = async (): Promise<HostView> => ({
  links: await ipJson(['link', 'show']),
  netns: (await netnsNames()).toSorted(),
  ruleset: await nftRuleset(),
  ipForward: (await readFile('/proc/sys/net/ipv4/ip_forward', 'utf8')).trim(),
});

/** The namespace part of a network's plan; throws when the network has none. */
export const namespaceOf = (plan: NetworkPlan): NonNullable<NetworkPlan['netns']> => {
  if (plan.netns === undefined) {
    throw new Error(`the network of ${plan.vmId} has no namespace`);
  }
  return plan.netns;
};

/** The value, or a thrown error naming what was missing. */
export const required = <T>(value: T | undefined, what: string): T => {
  if (value === undefined) {
    throw new Error(`expected ${what}`);
  }
  return value;
};
