// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { describe, expect, it } from 'vitest';
import type { ApiVmConfiguration, RestoredVmConfiguration } from '@kindling/vm';
import { catchError } from '@kindling/test-utils';
import { kernelIpArgument, mmdsNetworkData } from './guest-network.js';
import { resolveVmNetworkOptions } from './network-options.js';
import type { NetworkPlan } from './network-plan.js';
import { egressRules, namespaceRules } from './network-steps.js';
import { FIRECRACKER_DEFAULT_BOOT_ARGS, VmNetwork } from './vm-network.js';

const plan: NetworkPlan = {
  vmId: 'vm-1',
  token: '0123456789',
  pool: '169.254.0.0/16',
  index: 2,
  ifaceId: 'eth0',
  guestMac: '2E:62:B0:03:5F:34',
  tap: 'kt0123456789',
};
const inNamespace: NetworkPlan = {
  ...plan,
  tap: 'tap0',
  netns: {
    name: 'kindling-0123456789',
    vethHost: 'kv0123456789',
    vethPeer: 'veth0',
    table: 'kindling',
  },
  egress: { hostTable: 'kindling_0123456789' },
};
// A network made without touching the host: these tests only read what it derives.
const networkOf = (networkPlan: NetworkPlan): VmNetwork =>
  new VmNetwork(
    networkPlan,
    { dir: '/nonexistent', file: '/nonexistent/x.json', wait: { timeoutMs: 1 } },
    resolveVmNetworkOptions({}),
  );

const configuration: ApiVmConfiguration = {
  bootSource: { kernel_image_path: '/images/vmlinux', boot_args: 'console=ttyS0 ip=dhcp reboot=k' },
  networkInterfaces: [{ iface_id: 'other', host_dev_name: 'tap9' }],
};

describe('VmNetwork without a namespace', () => {
  const network = networkOf(plan);

  it('gives the guest the /30 of its index, and the host its first address', () => {
    expect(network.guest).toEqual({
      address: '169.254.0.10',
      gateway: '169.254.0.9',
      prefixLength: 30,
      netmask: '255.255.255.252',
      mac: '2E:62:B0:03:5F:34',
      device: 'eth0',
    });
    expect(network.reachableAddress).toBe('169.254.0.10');
    expect(network.hostAddress).toBe('169.254.0.9');
    expect(network.commandModifiers).toEqual([]);
    expect(network.netnsPath).toBeUndefined();
  });

  it('writes the kernel ip= argument and the MMDS data', () => {
    expect(kernelIpArgument(network.guest)).toBe(
      'ip=169.254.0.10::169.254.0.9:255.255.255.252::eth0:off',
    );
    expect(mmdsNetworkData(network.guest)).toEqual({
      network: {
        interfaces: {
          eth0: {
            mac: '2E:62:B0:03:5F:34',
            ipv4: {
              address: '169.254.0.10',
              prefixLength: 30,
              netmask: '255.255.255.252',
              gateway: '169.254.0.9',
            },
          },
        },
      },
    });
  });

  it('adds the interface and replaces an ip= argument, leaving the given configuration as it was', () => {
    const before = structuredClone(configuration);
    const applied = network.apply(configuration);
    expect(configuration).toEqual(before);
    expect(applied.bootSource.boot_args).toBe(
      'console=ttyS0 reboot=k ip=169.254.0.10::169.254.0.9:255.255.255.252::eth0:off',
    );
    expect(applied.networkInterfaces).toEqual([
      { iface_id: 'other', host_dev_name: 'tap9' },
      { iface_id: 'eth0', host_dev_name: 'kt0123456789', guest_mac: '2E:62:B0:03:5F:34' },
    ]);
    expect(applied.mmds).toBeUndefined();
  });

  it("keeps Firecracker's default command line when boot_args is unset", () => {
    const applied = network.apply<ApiVmConfiguration>({
      bootSource: { kernel_image_path: '/images/vmlinux' },
    });
    expect(applied.bootSource.boot_args).toBe(
      `${FIRECRACKER_DEFAULT_BOOT_ARGS} ${network.bootArgument}`,
    );
  });

  it('adds MMDS V2 on the interface and the network data when asked', () => {
    const applied = network.apply({ ...configuration, mmds: { user: 'data' } }, { mmds: true });
    expect(applied.mmdsConfig).toEqual({ version: 'V2', network_interfaces: ['eth0'] });
    expect(applied.mmds).toEqual({ user: 'data', ...network.mmdsNetworkData });
  });

  it('gives a restored configuration networkOverrides onto its TAP', () => {
    const restored: RestoredVmConfiguration = {
      kind: 'restored-from-snapshot',
      snapshotPath: '/s',
      memBackend: { type: 'file', path: '/m' },
    };
    expect(network.apply(restored).networkOverrides).toEqual([
      { iface_id: 'eth0', host_dev_name: 'kt0123456789' },
    ]);
  });

  it('masquerades its /30 leaving by any other link', () => {
    expect(egressRules({ ...plan, egress: { hostTable: 'kindling_x' } })).toContain(
      'ip saddr 169.254.0.8/30 oifname != "kt0123456789" masquerade',
    );
  });
});

describe('VmNetwork in a namespace', () => {
  const network = networkOf(inNamespace);

  it('puts every guest on the first /30 and reaches it at the namespace end of its veth', () => {
    expect(network.guest.address).toBe('169.254.0.2');
    expect(network.guest.gateway).toBe('169.254.0.1');
    expect(network.reachableAddress).toBe('169.254.0.10');
    expect(network.hostAddress).toBe('169.254.0.9');
    expect(network.netnsPath).toBe('/run/netns/kindling-0123456789');
    expect(network.commandModifiers[0]?.apply({ binary: '/fc', args: ['--id', 'x'] })).toEqual({
      binary: '/usr/sbin/ip',
      args: ['netns', 'exec', 'kindling-0123456789', '/fc', '--id', 'x'],
    });
  });

  it('translates between the veth address and the guest inside the namespace', () => {
    const rules = namespaceRules(inNamespace);
    expect(rules).toContain('iifname "veth0" ip daddr 169.254.0.10 dnat to 169.254.0.2');
    expect(rules).toContain('oifname "veth0" ip saddr 169.254.0.2 snat to 169.254.0.10');
    expect(egressRules(inNamespace)).toContain(
      'ip saddr 169.254.0.8/30 oifname != "kv0123456789" masquerade',
    );
  });
});

describe('createVmNetwork options', () => {
  it.each([
    [{ pool: '169.254.0.1/16' }, /^options\.pool: expected the network's first address/u],
    [{ tapName: 'a-name-of-16-chr' }, /^options\.tapName: expected an interface name of 1 to 15/u],
    [{ ifaceId: 'eth-0' }, /^options\.ifaceId: expected letters, digits and "_" only/u],
    [{ mtu: 50 }, /^options\.mtu: /u],
    [{ tapOwner: { uid: -1, gid: 0 } }, /^options\.tapOwner\.uid: /u],
    [{ stateDir: 'relative' }, /^options\.stateDir: expected an absolute path, got "relative"/u],
    [{ namespaces: true }, /^options\.namespaces: unknown key; did you mean namespace\?/u],
  ])('refuses %j', async (options, message) => {
    const error = await catchError(() => resolveVmNetworkOptions(options));
    expect(error).toMatchObject({ code: 'ERR_INVALID_INPUT' });
    expect((error as Error).message).toMatch(message);
  });

  it('defaults to the link-local pool, no namespace, no egress', () => {
    expect(resolveVmNetworkOptions({})).toMatchObject({
      pool: '169.254.0.0/16',
      namespace: false,
      egress: false,
      ifaceId: 'eth0',
      timeoutMs: 10_000,
    });
  });
});
