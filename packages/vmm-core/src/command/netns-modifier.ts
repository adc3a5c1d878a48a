// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import path from 'node:path';
import { z } from 'zod';
import { parseWithSchema } from '../validation.js';
import type { Command, CommandModifier } from './command-modifier.js';

/** Where iproute2's `ip` lives on most distributions. */
export const DEFAULT_IPROUTE2_PATH = '/usr/sbin/ip';

// iproute2's own check (`is_valid_netns_name`): shorter than NAME_MAX, no "/", not "." or "..".
const NAME_MAX_BYTES = 255;

const netnsNameSchema = z
  .string()
  .refine((name) => name.length > 0 && Buffer.byteLength(name, 'utf8') < NAME_MAX_BYTES, {
    error: `must be 1 to ${NAME_MAX_BYTES - 1} bytes (iproute2's limit)`,
  })
  .refine((name) => !name.includes('/') && name !== '.' && name !== '..', {
    error: 'must be a namespace name as `ip netns add` takes it: no "/", not "." or ".."',
  })
  .refine((name) => !name.includes('\0'), { error: 'may not contain a NUL character' });

const schema = z.strictObject({
  /** The network namespace's name, as `ip netns add` made it. */
  netns: netnsNameSchema,
  /** The `ip` binary (default `/usr/sbin/ip`). */
  iproute2Path: z
    .string()
    .refine((value) => path.isAbsolute(value) && !value.includes('\0'), {
      error: 'must be an absolute path without NUL characters',
    })
    .default(DEFAULT_IPROUTE2_PATH),
});

/**
 * Options of `NetnsModifier`.
 *
 * @interface
 */
export type NetnsModifierOptions = z.input<typeof schema>;

/**
 * `NetnsModifierOptions` after defaults.
 *
 * @interface
 */
export type ResolvedNetnsModifierOptions = z.output<typeof schema>;

/**
 * Runs a command inside a named network namespace: `<bin> <args…>` becomes
 * `ip netns exec <netns> <bin> <args…>`. The namespace must exist (`ip netns add <netns>`), and
 * `ip netns exec` needs CAP_SYS_ADMIN, so spawn the result through an elevated spawner.
 */
export class NetnsModifier implements CommandModifier {
  readonly options: ResolvedNetnsModifierOptions;

  constructor(options: NetnsModifierOptions) {
    this.options = parseWithSchema(schema, options, 'netnsModifier');
  }

  apply(command: Command): Command {
    return {
      binary: this.options.iproute2Path,
      args: ['netns', 'exec', this.options.netns, command.binary, ...command.args],
    };
  }
}
