// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { createVmNetwork, reconcileNetwork, type NetworkPlan } from '@kindling/ext-network';
import { createTempFolder, TEST_WAIT_MS } from '@kindling/test-utils';
import { describe, expect, it } from 'vitest';
import {
  canManageNetwork,
  linkExists,
  namespaceOf,
  NET_ADMIN_NOTE,
  required,
  netnsNames,
  nftRuleset,
  nftTables,
  readHostView,
} from './support/host-view.js';

const packageDir = fileURLToPath(new URL('..', import.meta.url));

/** A Node process that makes networks, prints their plans, and waits to be killed. */
const startOwner = async (stateDir: string, count: number) => {
  const code = `
    import { createVmNetwork } from '@kindling/ext-network';
    for (let n = 0; n < ${count}; n += 1) {
      const network = await createVmNetwork({ stateDir: ${JSON.stringify(stateDir)}, namespace: n % 2 === 0, egress: true });
      process.stdout.write(JSON.stringify(network.plan) + '\\n');
    }
    setInterval(() => {}, 1 << 30);
  `;
  const child = spawn(process.execPath, ['--input-type=module', '--eval', code], {
    cwd: packageDir,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const plans: NetworkPlan[] = [];
  for await (const line of createInterface({ input: child.stdout, crlfDelay: Infinity })) {
    plans.push(JSON.parse(line) as NetworkPlan);
    if (plans.length === count) {
      break;
    }
  }
  return { child, plans };
};

describe.runIf(canManageNetwork)(`reconcileNetwork()${NET_ADMIN_NOTE}`, () => {
  it(
    "removes the TAPs, namespaces, veths, nft tables and ip_forward of a SIGKILLed owner, and leaves a live owner's",
    async () => {
      await using state = await createTempFolder('kindling-network-reconcile-');
      const before = await readHostView();
      const live = await createVmNetwork({ stateDir: state.path });
      const liveView = await readHostView();
      const { child, plans } = await startOwner(state.path, 3);
      child.kill('SIGKILL');
      await once(child, 'exit');
      // What the killed process made is all still there.
      const inNamespace = namespaceOf(required(plans[0], 'a first network'));
      const plain = required(plans[1], 'a second network');
      expect(await netnsNames()).toContain(inNamespace.name);
      expect(await linkExists(inNamespace.vethHost)).toBe(true);
      expect(await linkExists(plain.tap)).toBe(true);
      expect(nftTables(await nftRuleset())).toContain(
        `ip ${required(plain.egress, 'egress').hostTable}`,
      );

      const report = await reconcileNetwork({ stateDir: state.path, timeoutMs: TEST_WAIT_MS });
      expect(report.skipped).toBe(1);
      expect(report.removed.map((plan) => plan.token).toSorted()).toEqual(
        plans.map((plan) => plan.token).toSorted(),
      );
      // Exactly the live network is left, and its record.
      expect(await readHostView()).toEqual(liveView);
      expect(await readdir(path.join(state.path, 'network'))).toHaveLength(1);
      // A second run finds nothing more to do.
      expect(await reconcileNetwork({ stateDir: state.path })).toEqual({
        removed: [],
        skipped: 1,
      });
      await live.dispose();
      expect(await readHostView()).toEqual(before);
    },
    4 * TEST_WAIT_MS,
  );
});

describe('reconcileNetwork() without records', () => {
  it('finds nothing in a state folder without a network subfolder', async () => {
    await using state = await createTempFolder('kindling-network-reconcile-');
    expect(await reconcileNetwork({ stateDir: state.path })).toEqual({ removed: [], skipped: 0 });
  });
});
