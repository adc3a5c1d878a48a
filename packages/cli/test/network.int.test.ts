// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { describe, expect, it } from 'vitest';
import { createCliFixture } from './support/cli-fixture.js';
import {
  NET_ADMIN_NOTE,
  canManageNetwork,
  linksIn,
  readHostNetwork,
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

// Each token names every piece of one network: kindling-<token>, kv<token>, kindling_<token>.
const tokenOf = (netns: string): string => netns.replace(/^kindling-/u, '');

describe.skipIf(!canManageNetwork)(`kindling run --network${NET_ADMIN_NOTE}`, () => {
  it('run -d --netns --egress makes the namespace, veth and nft table; stop removes them', async () => {
    await using fixture = await createCliFixture();
    const before = await readHostNetwork();
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
    const network = started.network as NetworkJson;
    const netns = network.netns as string;
    const token = tokenOf(netns);
    expect(network).toMatchObject({
      tap: 'tap0',
      guestAddress: '169.254.0.2',
      gateway: '169.254.0.1',
      pool: '169.254.0.0/16',
      egress: true,
    });
    const during = await readHostNetwork();
    expect(during.namespaces).toContain(netns);
    expect(during.links).toContain(`kv${token}`);
    expect(during.tables).toContain(`ip kindling_${token}`);
    expect(await linksIn(netns)).toEqual(expect.arrayContaining(['tap0', 'veth0']));

    const listed = await fixture.json<VmJson[]>(['ls']);
    expect(listed.map((vm) => [vm.name, vm.state, vm.network?.reachableAddress])).toEqual([
      ['net-ns', 'running', network.reachableAddress],
    ]);
    const table = await fixture.run(['ls']);
    expect(table.stdout).toContain(`${network.reachableAddress} (${netns})`);
    const inspected = await fixture.json<VmJson>(['inspect', 'net-ns']);
    expect(inspected.network).toEqual(network);
    expect(inspected.configuration?.['network-interfaces']?.[0]?.host_dev_name).toBe('tap0');
    const text = await fixture.run(['inspect', 'net-ns']);
    expect(text.stdout).toContain(`"reachableAddress":"${network.reachableAddress}"`);

    expect(await fixture.json(['stop', 'net-ns'])).toMatchObject({ name: 'net-ns', stopped: true });
    expect(await readHostNetwork()).toEqual(before);
  });

  it('reconcile after a SIGKILL of the background process removes the TAP too', async () => {
    await using fixture = await createCliFixture();
    const before = await readHostNetwork();
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
    expect(await readHostNetwork()).toEqual(before);
  });
});
