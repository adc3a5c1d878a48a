// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

/** How the guest's side of one interface is set: what its kernel and its MMDS are told. */
export interface GuestNetwork {
  /** The guest's address (`169.254.0.6`). */
  readonly address: string;
  /** The host side of the link, the guest's default route (`169.254.0.5`). */
  readonly gateway: string;
  readonly prefixLength: 30;
  /** `255.255.255.252`. */
  readonly netmask: string;
  /** The guest's MAC address (`guest_mac`). */
  readonly mac: string;
  /** The guest's name of the device: `eth0` for the first virtio-net device. */
  readonly device: string;
}

/** What `vm.putMmds` (or `configuration.mmds`) can hold about the guest's network. */
export interface MmdsNetworkData {
  readonly network: {
    readonly interfaces: Readonly<
      Record<
        string,
        {
          readonly mac: string;
          readonly ipv4: {
            readonly address: string;
            readonly prefixLength: number;
            readonly netmask: string;
            readonly gateway: string;
          };
        }
      >
    >;
  };
}

/**
 * The kernel's `ip=` argument (Documentation/admin-guide/nfs/nfsroot.rst):
 * `ip=<client>:<server>:<gateway>:<netmask>:<hostname>:<device>:<autoconf>`, with no server, no
 * hostname and autoconf off, as in Firecracker's network-setup guide.
 */
export const kernelIpArgument = (guest: GuestNetwork): string =>
  `ip=${guest.address}::${guest.gateway}:${guest.netmask}::${guest.device}:off`;

/** The guest's network as MMDS data, keyed by the guest's device name. */
export const mmdsNetworkData = (guest: GuestNetwork): MmdsNetworkData => ({
  network: {
    interfaces: {
      [guest.device]: {
        mac: guest.mac,
        ipv4: {
          address: guest.address,
          prefixLength: guest.prefixLength,
          netmask: guest.netmask,
          gateway: guest.gateway,
        },
      },
    },
  },
});
