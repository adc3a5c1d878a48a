// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { existsSync } from 'node:fs';
import path from 'node:path';
import { UnrestrictedExecutor } from '@kindling/executor';
import type { VmNetwork } from '@kindling/ext-network';
import { testBackend } from '@kindling/fake-vmm';
import { isRoot } from '@kindling/test-utils';
import type { ExecutorSetup } from '@kindling/test-vm';
import { VmmArguments } from '@kindling/vmm-core';
import { noRunningVm } from './backend.ts';

const TOOLS = ['/usr/sbin/ip', '/usr/sbin/nft', '/usr/sbin/sysctl'];

/** Why this run cannot make TAPs, namespaces and nft tables (undefined when it can). */
export const noNetAdmin: string | undefined = isRoot
  ? TOOLS.every((tool) => existsSync(tool))
    ? undefined
    : 'a network needs ip, nft and sysctl in /usr/sbin'
  : 'a network needs root (CAP_NET_ADMIN)';

/** Why the guest cannot be reached over its network: it needs a booted guest with a kernel's IP stack. */
export const noGuestNetwork: string | undefined =
  noNetAdmin ??
  (testBackend.kind === 'fake'
    ? 'needs a booted guest: the fake guest has no network stack'
    : noRunningVm === undefined
      ? undefined
      : `needs a booted guest: ${noRunningVm}`);

/** Firecracker run directly, inside the network's namespace (`ip netns exec`) when it has one. */
export const inNetwork = (network: VmNetwork): ExecutorSetup => ({
  name: `unrestricted in ${network.netns ?? 'the host namespace'}`,
  tag: 'n',
  killedExit: { kind: 'signaled', signal: 'SIGKILL' },
  create: (dir, _installation, id) => ({
    executor: new UnrestrictedExecutor({
      vmmArguments: new VmmArguments({ apiSocket: path.join(dir, 'run', `${id}.sock`), id }),
      commandModifiers: network.commandModifiers,
    }),
    ownership: { kind: 'shared' },
  }),
});
