// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import path from 'node:path';
import { createInputParser, kindlingTempFolder, MAX_TIMER_MS } from '@kindling/helpers';
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

/** The state folder `reconcile()` of `@kindling/process` uses by default. */
export const defaultStateDir = (): string => path.join(kindlingTempFolder(), 'processes');

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

const schema = z.strictObject({
  vmId: z.string().min(1).max(64).optional(),
  pool: z
    .string()
    .superRefine((value, context) => {
      const parsed = parsePoolCidr(value);
      if (typeof parsed === 'string') {
        context.addIssue({ code: 'custom', message: parsed, input: value });
      }
    })
    .default(DEFAULT_POOL),
  namespace: z.boolean().default(false),
  egress: z.boolean().default(false),
  tapOwner: z.strictObject({ uid: id, gid: id }).optional(),
  tapName: interfaceName.optional(),
  ifaceId: z
    .string()
    .regex(/^[\p{L}\p{N}_]+$/u, {
      error: 'expected letters, digits and "_" only, as Firecracker takes an iface_id',
    })
    .default('eth0'),
  mtu: z.number().int().min(68).max(65_535).optional(),
  spawner: z
    .custom<ProcessSpawner>(
      (value) => typeof (value as { spawn?: unknown } | null)?.spawn === 'function',
      { error: 'expected a ProcessSpawner (an object with a spawn method)' },
    )
    .optional(),
  iproute2Path: absolutePath.default('/usr/sbin/ip'),
  nftPath: absolutePath.default('/usr/sbin/nft'),
  sysctlPath: absolutePath.default('/usr/sbin/sysctl'),
  stateDir: absolutePath.optional(),
  timeoutMs: z.number().int().min(1).max(MAX_TIMER_MS).default(10_000),
  signal: z.instanceof(AbortSignal).optional(),
});

/** What `createVmNetwork` takes. */
export type VmNetworkOptions = z.input<typeof schema>;

/** `VmNetworkOptions` after validation and defaults. */
export type ResolvedVmNetworkOptions = z.output<typeof schema>;

/** Validates `createVmNetwork`'s options; a bad or unknown one throws `ERR_INVALID_INPUT`. */
export const resolveVmNetworkOptions = (value: unknown): ResolvedVmNetworkOptions =>
  parseInput(schema, value ?? {}, 'options');
