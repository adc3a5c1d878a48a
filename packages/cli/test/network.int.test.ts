// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCliFixture, runOnTerminal, type CliFixture } from './support/cli-fixture.js';
import {
  NET_ADMIN_NOTE,
  canManageNetwork,
  linksIn,
  readHostNetwork,
  type HostNetworkView,
} from './support/host-network.js';

interface NetworkJson {
  readonly tap: string;
  readonly netns?: string;
  readonly guestAddress: string;
  readonly gateway: string;
  readonly hostAddress: string;
  readonly reachableAddress: string;
  readonly guestMac: string;
  readonly pool: string;
  readonly egress: boolean;
}

interface VmJson {
  readonly name: string;
  readonly owner: { readonly pid: number };
  readonly vmm: { readonly pid: number };
  readonly state?: string;
  readonly network?: NetworkJson;
  readonly configuration?: { 'network-interfaces'?: { host_dev_name: string }[] };
}

// One token names every piece of one network: kindling-<token>, kv<token>, kindling_<token>.
const tokenOf = (netns: string): string => netns.replace(/^kindling-/u, '');

// What of the host's network names a token (or a TAP): other tests may make networks of their
// own meanwhile, so the host is not compared whole.
const piecesNamed = (view: HostNetworkView, name: string): string[] =>
  [...view.links, ...view.namespaces, ...view.tables].filter((piece) => piece.includes(name));

describe.skipIf(!canManageNetwork)(`kindling run -d --netns --egress${NET_ADMIN_NOTE}`, () => {
  let fixture: CliFixture;
  let network: NetworkJson;
  let netns: string;
  let token: string;

  beforeAll(async () => {
    fixture = await createCliFixture();
    const started = await fixture.json<VmJson>([
      'run',
      '--kernel',
      fixture.kernel,
      '--name',
      'net-ns',
      '--netns',
      '--egress',
      '-d',
    ]);
    network = started.network as NetworkJson;
    netns = network.netns as string;
    token = tokenOf(netns);
  });
  afterAll(async () => {
    await fixture[Symbol.asyncDispose]();
  });

  it('makes a namespace with tap0 and a veth, and an nft table on the host', async () => {
    expect(network).toMatchObject({
      tap: 'tap0',
      guestAddress: '169.254.0.2',
      gateway: '169.254.0.1',
      pool: '169.254.0.0/16',
      egress: true,
    });
    expect(piecesNamed(await readHostNetwork(), token).toSorted()).toEqual(
      [netns, `kv${token}`, `ip kindling_${token}`].toSorted(),
    );
    expect(await linksIn(netns)).toEqual(expect.arrayContaining(['tap0', 'veth0']));
  });

  it('ls and inspect show its addresses, as text and JSON', async () => {
    const listed = await fixture.json<VmJson[]>(['ls']);
    expect(listed.map((vm) => [vm.name, vm.state, vm.network?.reachableAddress])).toEqual([
      ['net-ns', 'running', network.reachableAddress],
    ]);
    expect((await fixture.run(['ls'])).stdout).toContain(`${network.reachableAddress} (${netns})`);
    const inspected = await fixture.json<VmJson>(['inspect', 'net-ns']);
    expect(inspected.network).toEqual(network);
    expect(inspected.configuration?.['network-interfaces']?.[0]?.host_dev_name).toBe('tap0');
    expect((await fixture.run(['inspect', 'net-ns'])).stdout).toContain(
      `"reachableAddress":"${network.reachableAddress}"`,
    );
  });

  it('stop leaves no namespace, veth or nft table behind', async () => {
    expect(await fixture.json(['stop', 'net-ns'])).toMatchObject({ name: 'net-ns', stopped: true });
    expect(piecesNamed(await readHostNetwork(), token)).toEqual([]);
  });
});

describe.skipIf(!canManageNetwork)(`kindling run --network${NET_ADMIN_NOTE}`, () => {
  it('attached with --netns: Ctrl-C ends the VM and its network with it', async () => {
    await using fixture = await createCliFixture();
    const terminal = runOnTerminal(
      ['run', '--kernel', fixture.kernel, '--name', 'net-tty', '--netns'],
      fixture.env,
    );
    await terminal.waitFor('kindling-fake-guest: ready');
    const [listed] = await fixture.json<VmJson[]>(['ls']);
    const attachedNetns = listed?.network?.netns as string;
    expect((await readHostNetwork()).namespaces).toContain(attachedNetns);
    terminal.type('\u0003');
    const { code, screen } = await terminal.exit;
    expect(screen).toContain('kindling: VM "net-tty" shut-down (code 0)');
    expect(code).toBe(0);
    expect(piecesNamed(await readHostNetwork(), tokenOf(attachedNetns))).toEqual([]);
  });

  it('reconcile after a SIGKILL of the background process removes the TAP too', async () => {
    await using fixture = await createCliFixture();
    const started = await fixture.json<VmJson>([
      'run',
      '--kernel',
      fixture.kernel,
      '--name',
      'net-orphan',
      '--network',
      '-d',
    ]);
    const tap = (started.network as NetworkJson).tap;
    expect((await readHostNetwork()).links).toContain(tap);
    process.kill(started.owner.pid, 'SIGKILL');
    const report = await fixture.json<{
      reconciled: { pid: number }[];
      networks: { removed: { vmId: string; tap: string }[]; skipped: number };
      removedVms: string[];
    }>(['reconcile']);
    expect(report.reconciled.map((item) => item.pid)).toEqual([started.vmm.pid]);
    expect(report.networks).toEqual({ removed: [{ vmId: 'net-orphan', tap }], skipped: 0 });
    expect(report.removedVms).toEqual(['net-orphan']);
    expect((await readHostNetwork()).links).not.toContain(tap);
  });
});
