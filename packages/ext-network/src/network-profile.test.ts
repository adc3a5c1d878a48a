// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { readdir } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { catchError, createTempFolder } from '@kindling/test-utils';
import { createVmNetwork } from './create-vm-network.js';
import type { VmNetworkOptions } from './network-options.js';
import { resolveVmNetworkOptions } from './network-options.js';
import { checkNetworkProfile } from './network-profile.js';

// Tools that do not exist: were a refusal to come too late, the set-up fails instead of
// touching the host.
const NO_TOOLS = {
  iproute2Path: '/nonexistent/ip',
  nftPath: '/nonexistent/nft',
  sysctlPath: '/nonexistent/sysctl',
} as const;

const refusal = async (options: VmNetworkOptions): Promise<{ error: unknown; left: string[] }> => {
  await using state = await createTempFolder('kindling-netprofile-');
  const error = await catchError(
    createVmNetwork({ ...options, ...NO_TOOLS, stateDir: state.path }),
  );
  return { error, left: await readdir(state.path, { recursive: true }) };
};

describe('createVmNetwork with a profile', () => {
  it("refuses any network under network 'none', recording nothing", async () => {
    const { error, left } = await refusal({ profile: { network: 'none' } });
    expect(error).toMatchObject({
      code: 'ERR_PROFILE_VIOLATION',
      message:
        "options.profile.network: 'none' allows the VM no network, got a request for one: give the VM no network, or a profile with network 'isolated' or 'egress'",
    });
    expect(left).toEqual([]);
  });

  it("refuses egress under network 'isolated' and under a profile without network", async () => {
    const isolated = await refusal({ egress: true, profile: { network: 'isolated' } });
    expect(isolated.error).toMatchObject({ code: 'ERR_PROFILE_VIOLATION' });
    expect((isolated.error as Error).message).toBe(
      "options.egress: the profile allows egress only with network 'egress', got egress true under network \"isolated\": set egress false, or give the VM a profile with network 'egress'",
    );
    expect(isolated.left).toEqual([]);
    const unset = await refusal({ egress: true, profile: {} });
    expect(unset.error).toMatchObject({ code: 'ERR_PROFILE_VIOLATION' });
    expect(unset.left).toEqual([]);
  });

  it('lets through what the profile allows', () => {
    const allowed: VmNetworkOptions[] = [
      { egress: true, profile: { network: 'egress' } },
      { egress: false, profile: { network: 'isolated' } },
      { profile: {} },
      { egress: true },
    ];
    for (const options of allowed) {
      expect(() => checkNetworkProfile(resolveVmNetworkOptions(options))).not.toThrow();
    }
  });

  it('takes a whole VmProfile and refuses a bad network value', async () => {
    const options = resolveVmNetworkOptions({
      profile: { network: 'egress', allowedFolders: ['/srv'] },
    });
    expect(options.profile?.network).toBe('egress');
    const error = await catchError(() => resolveVmNetworkOptions({ profile: { network: 'open' } }));
    expect(error).toMatchObject({ code: 'ERR_INVALID_INPUT' });
    expect((error as Error).message).toBe(
      "options.profile.network: expected 'none', 'isolated' or 'egress', got \"open\"",
    );
  });
});
