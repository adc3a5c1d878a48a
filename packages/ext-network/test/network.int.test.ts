// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';
import { AddressPool, createVmNetwork, type VmNetwork } from '@kindling/ext-network';
import { catchError, createTempFolder, TEST_WAIT_MS } from '@kindling/test-utils';
import { describe, expect, it } from 'vitest';
import {
  canManageNetwork,
  ipJson,
  linkExists,
  namespaceOf,
  NET_ADMIN_NOTE,
  netnsNames,
  nftRuleset,
  nftTables,
  readHostView,
} from './support/host-view.js';

const execFileAsync = promisify(execFile);
// Linux's IFF_TAP in /sys/class/net/<name>/tun_flags.
const IFF_TAP = 0x0002;

interface AddressInfo {
  readonly ifname: string;
  readonly flags: readonly string[];
  readonly address: string;
  readonly addr_info: readonly {
    readonly family: string;
    readonly local: string;
    readonly prefixlen: number;
  }[];
}

const addressesOf = async (name: string, netns?: string): Promise<AddressInfo> => {
  const [info] = (await ipJson(['address', 'show', 'dev', name], netns)) as AddressInfo[];
  if (info === undefined) {
    throw new Error(`no link ${name}`);
  }
  return info;
};

const ipv4Of = (info: AddressInfo): string[] =>
  info.addr_info
    .filter((item) => item.family === 'inet')
    .map((item) => `${item.local}/${item.prefixlen}`);

// A network's record: `<stateDir>/network/<its /30's network address>.json`.
const recordFileOf = (stateDir: string, network: VmNetwork): string =>
  path.join(
    stateDir,
    'network',
    `${new AddressPool(network.plan.pool).subnetAt(network.plan.index).network}.json`,
  );

describe.runIf(canManageNetwork)(`a VM network on the host${NET_ADMIN_NOTE}`, () => {
  it('makes a TAP owned by the given user, with the host address, up, and removes it', async () => {
    await using state = await createTempFolder('kindling-network-it-');
    const before = await readHostView();
    const network = await createVmNetwork({
      stateDir: state.path,
      tapOwner: { uid: 65_534, gid: 65_534 },
    });
    const info = await addressesOf(network.tapName);
    expect(info.flags).toContain('UP');
    expect(ipv4Of(info)).toEqual([`${network.hostAddress}/30`]);
    // A TAP, not a TUN, and a persistent one the jailed Firecracker's user may open.
    const tunFlags = Number.parseInt(
      await readFile(`/sys/class/net/${network.tapName}/tun_flags`, 'utf8'),
      16,
    );
    expect(tunFlags & IFF_TAP).toBe(IFF_TAP);
    expect((await readFile(`/sys/class/net/${network.tapName}/owner`, 'utf8')).trim()).toBe(
      '65534',
    );
    expect((await readFile(`/sys/class/net/${network.tapName}/group`, 'utf8')).trim()).toBe(
      '65534',
    );
    expect(network.guest.gateway).toBe(network.hostAddress);
    expect(existsSync(recordFileOf(state.path, network))).toBe(true);
    await network.dispose();
    await network.dispose();
    expect(await linkExists(network.tapName)).toBe(false);
    expect(await readHostView()).toEqual(before);
  });

  it('makes a namespace with a TAP, a veth to the host and NAT; the namespace reaches the host side', async () => {
    await using state = await createTempFolder('kindling-network-it-');
    const before = await readHostView();
    const network = await createVmNetwork({ stateDir: state.path, namespace: true });
    const netns = namespaceOf(network.plan).name;
    expect(await netnsNames()).toContain(netns);
    const tap = await addressesOf('tap0', netns);
    expect(ipv4Of(tap)).toEqual(['169.254.0.1/30']);
    expect(network.guest.address).toBe('169.254.0.2');
    expect(ipv4Of(await addressesOf(namespaceOf(network.plan).vethHost))).toEqual([
      `${network.hostAddress}/30`,
    ]);
    expect(ipv4Of(await addressesOf('veth0', netns))).toEqual([`${network.reachableAddress}/30`]);
    // The NAT rules, as the kernel holds them in the namespace.
    const ruleset = JSON.stringify(await nftRuleset(netns));
    expect(ruleset).toContain(`"dnat":{"addr":"${network.guest.address}"}`);
    expect(ruleset).toContain(`"snat":{"addr":"${network.reachableAddress}"}`);
    // Traffic stays between the namespace and the host end of its veth.
    const server = createServer((socket) => socket.end('hello from the host'));
    await new Promise<void>((resolve) => {
      server.listen(0, network.hostAddress, resolve);
    });
    try {
      const { port } = server.address() as { port: number };
      const { stdout } = await execFileAsync(
        '/usr/sbin/ip',
        [
          'netns',
          'exec',
          netns,
          process.execPath,
          '-e',
          `require('net').connect(${port}, '${network.hostAddress}').on('data', (d) => process.stdout.write(d))`,
        ],
        { timeout: TEST_WAIT_MS },
      );
      expect(stdout).toBe('hello from the host');
    } finally {
      server.close();
    }
    await network.dispose();
    expect(await netnsNames()).not.toContain(netns);
    expect(await readHostView()).toEqual(before);
  });

  it('turns egress on with ip_forward and a masquerade table of its own, and restores both', async () => {
    await using state = await createTempFolder('kindling-network-it-');
    const before = await readHostView();
    const first = await createVmNetwork({ stateDir: state.path, egress: true });
    const second = await createVmNetwork({ stateDir: state.path, egress: true, namespace: true });
    expect((await readFile('/proc/sys/net/ipv4/ip_forward', 'utf8')).trim()).toBe('1');
    const tables = nftTables(await nftRuleset());
    expect(tables).toContain(`ip ${first.plan.egress?.hostTable}`);
    expect(tables).toContain(`ip ${second.plan.egress?.hostTable}`);
    expect(JSON.stringify(await nftRuleset())).toContain('"masquerade":null');
    // The namespace's default route leads to the host end of its veth.
    expect(await ipJson(['route', 'show', 'default'], second.netns)).toMatchObject([
      { dst: 'default', gateway: second.hostAddress, dev: 'veth0' },
    ]);
    await first.dispose();
    // The second still needs forwarding: the value found before is restored only by the last.
    expect((await readFile('/proc/sys/net/ipv4/ip_forward', 'utf8')).trim()).toBe('1');
    await second.dispose();
    expect(await readHostView()).toEqual(before);
  });

  it('leaves nothing when a step fails (a TAP name already taken), and says which command failed', async () => {
    await using state = await createTempFolder('kindling-network-it-');
    const before = await readHostView();
    const taken = await createVmNetwork({ stateDir: state.path });
    const error = await catchError(
      createVmNetwork({ stateDir: state.path, tapName: taken.tapName, egress: true }),
    );
    expect(error).toMatchObject({ code: 'ERR_NETWORK_COMMAND' });
    expect((error as Error).message).toMatch(
      new RegExp(
        `^/usr/sbin/ip -batch - <<< "tuntap add dev ${taken.tapName} mode tap; address add .*" exited with code 1: `,
        'u',
      ),
    );
    // The failed network's record went; the first one's stays until it is disposed of.
    const { readdir } = await import('node:fs/promises');
    expect(await readdir(path.join(state.path, 'network'))).toEqual([
      path.basename(recordFileOf(state.path, taken)),
    ]);
    await taken.dispose();
    expect(await readHostView()).toEqual(before);
  });

  it('stops at an aborted signal and undoes what it made', async () => {
    await using state = await createTempFolder('kindling-network-it-');
    const before = await readHostView();
    const reason = new Error('stop');
    const error = await catchError(
      createVmNetwork({
        stateDir: state.path,
        namespace: true,
        signal: AbortSignal.abort(reason),
      }),
    );
    expect(error).toBe(reason);
    const controller = new AbortController();
    const pending = createVmNetwork({
      stateDir: state.path,
      namespace: true,
      egress: true,
      signal: controller.signal,
    });
    setTimeout(() => controller.abort(reason), 20);
    // Either it finished first (then dispose), or the abort undid it: nothing stays either way.
    const outcome = await pending.then(
      (network) => network.dispose(),
      (abortError: unknown) => abortError,
    );
    expect([undefined, reason]).toContain(outcome);
    expect(await readHostView()).toEqual(before);
  });
});
