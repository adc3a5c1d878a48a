// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { createVmNetwork } from '@kindling/ext-network';
import { createTempFolder, TEST_WAIT_MS } from '@kindling/test-utils';
import { describe, expect, it } from 'vitest';
import {
  canManageNetwork,
  linkExists,
  NET_ADMIN_NOTE,
  netnsNames,
  readHostView,
} from './support/host-view.js';

const VMS = 20;

describe.runIf(canManageNetwork)(`twenty VM networks at once${NET_ADMIN_NOTE}`, () => {
  it(
    'set up and torn down concurrently, each in its own namespace with egress, leave the host exactly as it was',
    async () => {
      await using state = await createTempFolder('kindling-network-many-');
      const before = await readHostView();
      const networks = await Promise.all(
        Array.from({ length: VMS }, () =>
          createVmNetwork({ stateDir: state.path, namespace: true, egress: true }),
        ),
      );
      // Twenty different /30s and host-side addresses, one guest address and TAP name for all.
      expect(new Set(networks.map((network) => network.reachableAddress)).size).toBe(VMS);
      expect(new Set(networks.map((network) => network.guest.address))).toEqual(
        new Set(['169.254.0.2']),
      );
      const names = await netnsNames();
      for (const network of networks) {
        expect(names).toContain(network.netns);
        expect(await linkExists('tap0', network.netns)).toBe(true);
      }
      await Promise.all(networks.map((network) => network.dispose()));
      expect(await readHostView()).toEqual(before);
    },
    6 * TEST_WAIT_MS,
  );
});
