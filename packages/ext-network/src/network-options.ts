// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import path from 'node:path';
import { createInputParser, MAX_TIMER_MS } from '@kindling/helpers';
import type { ProcessSpawner } from '@kindling/spawner';
import { z } from 'zod';
import { parsePoolCidr } from './address-pool.js';
import { NetworkError } from './errors.js';

/** Throws `NetworkError` `ERR_INVALID_INPUT`: `subject.path: rule, got value`, one line each. */
export const parseInput = createInputParser(
  (message, options) => new NetworkError('ERR_INVALID_INPUT', message, options),
);

/** The pool every VM's /30 comes from unless told otherwise: IPv4 link-local. */
export const DEFAULT_POOL = '169.254.0.0/16';

// Linux's IFNAMSIZ is 16 with the NUL; ip refuses "/", whitespace and ":" in names.
const interfaceName = z
  .string()
  .regex(/^[A-Za-z0-9_.-]{1,15}$/u, {
    error: 'expected an interface name of 1 to 15 letters, digits, "_", "-" or "."',
  })
  .refine((name) => name !== '.' && name !== '..', { error: 'may not be "." or ".."' });

const absolutePath = z.string().refine((value) => path.isAbsolute(value) && !value.includes('\0'), {
  error: 'expected an absolute path',
});

const id = z.number().int().min(0).max(0xff_ff_ff_fe);

/**
 * How `ip`, `nft` and `sysctl` run, where records go, and the bounds: the options
 * `createVmNetwork` and `reconcileNetwork` share.
 */
export const hostToolFields = {
  /** Runs `ip`, `nft` and `sysctl` (default: directly, as this process): an elevated spawner lets a non-root service network its VMs. */
  spawner: z
    .custom<ProcessSpawner>(
      (value) => typeof (value as { spawn?: unknown } | null)?.spawn === 'function',
      { error: 'expected a ProcessSpawner (an object with a spawn method)' },
    )
    .optional(),
  /** iproute2's `ip` (default `/usr/sbin/ip`). */
  iproute2Path: absolutePath.default('/usr/sbin/ip'),
  /** nftables' `nft` (default `/usr/sbin/nft`), used for NAT and egress. */
  nftPath: absolutePath.default('/usr/sbin/nft'),
  /** procps' `sysctl` (default `/usr/sbin/sysctl`), used for `net.ipv4.ip_forward`. */
  sysctlPath: absolutePath.default('/usr/sbin/sysctl'),
  /** The state folder the network's record goes to (default: the one `reconcile()` uses). */
  stateDir: absolutePath.optional(),
  /** How long each command, and the wait for the ip_forward lock, may take (default 10 000 ms). */
  timeoutMs: z.number().int().min(1).max(MAX_TIMER_MS).default(10_000),
  /** Cancels the set-up or removal; what was made so far is removed. */
  signal: z.instanceof(AbortSignal).optional(),
};

const schema = z.strictObject({
  /** The VM's id: names the record and seeds the MAC (default: a new random one). */
  vmId: z.string().min(1).max(64).optional(),
  /** The IPv4 pool each VM's /30 comes from, as a CIDR (default `169.254.0.0/16`). */
  pool: z
    .string()
    .superRefine((value, context) => {
      const parsed = parsePoolCidr(value);
      if (typeof parsed === 'string') {
        context.addIssue({ code: 'custom', message: parsed, input: value });
      }
    })
    .default(DEFAULT_POOL),
  /** A network namespace of its own, a veth pair to the host and NAT: for clones of one snapshot (default false). */
  namespace: z.boolean().default(false),
  /** Traffic from the guest to the outside, masqueraded by an nftables table of its own (default false). */
  egress: z.boolean().default(false),
  /** Who owns the TAP: the jailed Firecracker's uid and gid (default: whoever runs `ip`). */
  tapOwner: z.strictObject({ uid: id, gid: id }).optional(),
  /** The TAP's name (default: `kt` and 10 hex digits; `tap0` in a namespace). */
  tapName: interfaceName.optional(),
  /** Firecracker's `iface_id` for the interface (default `eth0`). */
  ifaceId: z
    .string()
    .regex(/^[\p{L}\p{N}_]+$/u, {
      error: 'expected letters, digits and "_" only, as Firecracker takes an iface_id',
    })
    .default('eth0'),
  /** The TAP's MTU (default: the kernel's). */
  mtu: z.number().int().min(68).max(65_535).optional(),
  /**
   * The VM's `VmProfile` (from `@kindling/vm`): a network is refused under `network: 'none'`, and
   * egress unless `network: 'egress'`. Only its `network` is read here; the rest is `Vm.prepare`'s.
   */
  profile: z
    .looseObject({
      network: z
        .enum(['none', 'isolated', 'egress'], {
          error: "expected 'none', 'isolated' or 'egress'",
        })
        .optional(),
    })
    .optional(),
  ...hostToolFields,
});

/**
 * What `createVmNetwork` takes.
 *
 * @interface
 */
export type VmNetworkOptions = z.input<typeof schema>;

/** `VmNetworkOptions` after validation and defaults. */
export type ResolvedVmNetworkOptions = z.output<typeof schema>;

/** Validates `createVmNetwork`'s options; a bad or unknown one throws `ERR_INVALID_INPUT`. */
export const resolveVmNetworkOptions = (value: unknown): ResolvedVmNetworkOptions =>
  parseInput(schema, value ?? {}, 'options');
