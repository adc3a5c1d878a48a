// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  checkRefusedBeforeSpawn,
  createCountingSpawner,
  garbage,
  hostileString,
  whenParsed,
  checkParsedOrRefused,
  withOneFieldChanged,
} from '@kindling/helpers/testing';
import * as fc from 'fast-check';
import { assert, asyncProperty, property } from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createVmNetwork } from './create-vm-network.js';
import { NetworkError } from './errors.js';
import { makePlan } from './make-plan.js';
import { resolveVmNetworkOptions, type ResolvedVmNetworkOptions } from './network-options.js';
import type { NetworkPlan } from './network-plan.js';

const refusal = { errorClass: NetworkError, names: 'options' };

const validOptions = fc.record(
  {
    vmId: fc.stringMatching(/^[a-z][a-z0-9-]{0,20}$/u),
    pool: fc.constantFrom('169.254.0.0/16', '10.200.0.0/24', '172.16.0.0/28'),
    namespace: fc.boolean(),
    egress: fc.boolean(),
    tapOwner: fc.record({ uid: fc.nat({ max: 65_535 }), gid: fc.nat({ max: 65_535 }) }),
    tapName: fc.stringMatching(/^[a-z][a-z0-9]{0,14}$/u),
    ifaceId: fc.stringMatching(/^[a-z][a-z0-9_]{0,7}$/u),
    mtu: fc.integer({ min: 68, max: 65_535 }),
    timeoutMs: fc.integer({ min: 1, max: 60_000 }),
  },
  { requiredKeys: [] },
);
const options = fc.oneof(
  garbage(),
  withOneFieldChanged(validOptions, fc.oneof(garbage(), hostileString())).map(({ value }) => value),
);

// The plan createVmNetwork would make; the interfaces it names (Linux's IFNAMSIZ applies) and
// its namespace's name.
const planOf = (resolved: ResolvedVmNetworkOptions, token: string): NetworkPlan =>
  makePlan(resolved, resolved.vmId ?? `vm-${token}`, token, 0);
const interfaceNamesOf = (plan: NetworkPlan): string[] =>
  [plan.tap, plan.netns?.vethHost, plan.netns?.vethPeer].filter((name) => name !== undefined);
const namespaceNameOf = (plan: NetworkPlan): string => plan.netns?.name ?? 'none';

let stateDir: string;
beforeAll(async () => {
  stateDir = await mkdtemp(path.join(tmpdir(), 'kindling-props-network-'));
});
afterAll(async () => {
  await rm(stateDir, { recursive: true, force: true });
});

describe('VM network options', () => {
  it('given anything, resolves them or refuses them naming the option; what it resolves makes valid names', () => {
    assert(
      property(options, fc.stringMatching(/^[0-9a-f]{10}$/u), (given, token) => {
        whenParsed(
          checkParsedOrRefused(() => resolveVmNetworkOptions(given), refusal),
          (resolved) => {
            const plan = planOf(resolved, token);
            // Interface names fit IFNAMSIZ; the id and MAC are ones Firecracker takes.
            expect(
              interfaceNamesOf(plan).every((name) => /^[A-Za-z0-9_.-]{1,15}$/u.test(name)),
            ).toBe(true);
            expect(namespaceNameOf(plan)).toMatch(/^[A-Za-z0-9_.-]{1,64}$/u);
            expect(plan.ifaceId).toMatch(/^[\p{L}\p{N}_]+$/u);
            expect(plan.guestMac).toMatch(/^[\dA-Fa-f]{2}(?::[\dA-Fa-f]{2}){5}$/u);
          },
        );
      }),
      { numRuns: 300 },
    );
  });

  it('createVmNetwork refuses bad options before running any host tool', async () => {
    const spawner = createCountingSpawner();
    await assert(
      asyncProperty(options, async (given) => {
        await checkRefusedBeforeSpawn(
          () => createVmNetwork({ ...(given as object), spawner, stateDir }),
          refusal,
          spawner,
        );
        // A set-up the stand-in failed, and failed to undo, leaves its record for
        // reconcileNetwork(), as it should: clear it so that the pool never fills.
        await rm(path.join(stateDir, 'network'), { recursive: true, force: true });
      }),
      { numRuns: 200 },
    );
  });
});
