// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { existsSync } from 'node:fs';
import { TEST_WAIT_MS } from '@kindling/test-utils';
import { describe, expect, it } from 'vitest';
import {
  BOOT_MARKER,
  createVmTestHarness,
  isRealBackend,
  NEEDS_GUEST,
  SETUPS,
} from '../src/index.js';

describe.skipIf(isRealBackend).each(SETUPS)(
  `createVmTestHarness, $name ${NEEDS_GUEST}`,
  (setup) => {
    it('boots VMs to the marker in folders of their own, and removes everything on disposal', async () => {
      let dir: string;
      {
        await using harness = await createVmTestHarness({ label: 'test-vm-self' });
        dir = harness.dir;
        const vms = [await harness.boot(setup), await harness.boot(setup, 'named')];
        // Each VM's vsock socket is in a folder of its own, named after the VM.
        expect(vms.map((vm) => vm.configuration)).toMatchObject([
          { vsock: { uds_path: harness.pathFor(`${setup.tag}1/v.sock`) } },
          { vsock: { uds_path: harness.pathFor(`${setup.tag}2-named/v.sock`) } },
        ]);
        // Booted: the guest's services are up.
        for (const vm of vms) {
          await vm.waitForSerialLine(BOOT_MARKER, { timeoutMs: TEST_WAIT_MS });
        }
      }
      expect(existsSync(dir)).toBe(false);
    });
  },
);
