// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import type { Command } from 'commander';
import type { CliContext } from '../context.js';
import { launch } from '../vm/launch.js';
import { resolveRunSpec, type RunFlags } from '../vm/run-options.js';
import { defineAction, type ExitBox } from './command-kit.js';
import { runOnServer, addServerOptions, type ServerFlags } from '../remote/remote.js';

/** Starts a resolved spec attached or detached (for `snapshot restore` too). */
export { launch };

/** Adds the options every way of starting a VM shares (`run`, `snapshot restore`). */
export const addLaunchOptions = (command: Command): Command =>
  addServerOptions(command)
    .option('--name <name>', "the VM's name (and Firecracker id); default vm-<random>")
    .option('--jailed', 'run Firecracker under the jailer (needs root)')
    .option('--uid <uid>', 'with --jailed: the user Firecracker runs as', '0')
    .option('--gid <gid>', 'with --jailed: the group Firecracker runs as', '0')
    .option('-d, --detach', 'start it in the background and return; `kindling stop` ends it')
    .option('--socket-wait-timeout <ms>', 'how long to wait for the API socket', '15000')
    .option('--json', "print the VM's record as JSON");

/** `kindling run`: boots a microVM from a config file or from flags. */
export const registerRun = (program: Command, context: CliContext, box: ExitBox): void => {
  addLaunchOptions(
    program
      .command('run')
      .description('boot a microVM from a Firecracker config file or from flags')
      .option('-c, --config <file>', 'a Firecracker --config-file document (JSON)')
      .option('--kernel <file>', 'the guest kernel (an uncompressed ELF vmlinux)')
      .option('--initrd <file>', 'an initrd')
      .option('--root-drive <file>', 'a root file system image (read-write)')
      .option('--boot-args <args>', 'the kernel command line', 'console=ttyS0 reboot=k panic=1')
      .option('--vcpus <n>', 'vCPUs', '1')
      .option('--memory <mib>', 'memory in MiB', '128')
      .option('--vsock-cid <cid>', 'add a vsock device with this guest CID (3 or more)')
      .option('--network', 'give the VM a TAP and a /30 of the pool (needs root)')
      .option('--netns', 'with --network: a network namespace of its own (implies --network)')
      .option('--egress', 'with --network: NAT to the outside world (implies --network)')
      .option('--pool <cidr>', 'with --network: the pool of /30s (default 169.254.0.0/16)'),
  ).action(
    defineAction<RunFlags & ServerFlags, []>(context, box, async ({ out, options }) =>
      options.server === undefined
        ? launch(context, out, await resolveRunSpec(options, context.io.env))
        : runOnServer(out, { ...options, server: options.server }),
    ),
  );
};
