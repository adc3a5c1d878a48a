// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { catchError, createTempFolder } from '@kindling/test-utils';
import { describe, expect, it } from 'vitest';
import { AddressPool } from './address-pool.js';
import type { NetworkPlan } from './network-plan.js';
import { claimSubnet, readNetworkRecords, removeNetworkRecord } from './network-records.js';

const planFor = (index: number): NetworkPlan => ({
  vmId: `vm-${index}`,
  token: 'abcdef0123',
  pool: '10.1.0.0/24',
  index,
  ifaceId: 'eth0',
  guestMac: '02:00:00:00:00:01',
  tap: 'kt0',
});

describe('claimSubnet', () => {
  it('gives 50 concurrent claims 50 different /30s, skipping the reserved index 0', async () => {
    await using folder = await createTempFolder('kindling-network-records-');
    const dir = path.join(folder.path, 'network');
    const pool = new AddressPool('10.1.0.0/24');
    const claims = await Promise.all(
      Array.from({ length: 50 }, () => claimSubnet(dir, pool, planFor)),
    );
    const indexes = claims.map((claim) => claim.record.plan.index).toSorted((a, b) => a - b);
    expect(indexes).toEqual(Array.from({ length: 50 }, (_, n) => n + 1));
    // One whole record per /30, named by its network address, and no partial file left.
    const names = await readdir(dir);
    expect(names).toHaveLength(50);
    expect(names).toContain('10.1.0.4.json');
    const record = JSON.parse(await readFile(path.join(dir, '10.1.0.4.json'), 'utf8')) as unknown;
    expect(record).toMatchObject({ version: 1, owner: { pid: process.pid }, plan: { index: 1 } });
    expect(await readNetworkRecords(dir)).toHaveLength(50);
  });

  it('fails with ERR_POOL_FULL once every /30 is taken, and reuses one freed', async () => {
    await using folder = await createTempFolder('kindling-network-records-');
    const dir = path.join(folder.path, 'network');
    // A /29 holds two /30s, and index 0 is reserved: one VM.
    const pool = new AddressPool('10.1.0.0/29');
    const first = await claimSubnet(dir, pool, planFor);
    expect(first.record.plan.index).toBe(1);
    const error = await catchError(claimSubnet(dir, pool, planFor));
    expect(error).toMatchObject({ code: 'ERR_POOL_FULL' });
    expect((error as Error).message).toMatch(
      /^Every \/30 of the pool 10\.1\.0\.0\/29 is taken \(2 \/30s\): .*reconcileNetwork\(\)/u,
    );
    await removeNetworkRecord(first.file);
    expect((await claimSubnet(dir, pool, planFor)).record.plan.index).toBe(1);
  });

  it('reports a file that is not a record instead of trusting it', async () => {
    await using folder = await createTempFolder('kindling-network-records-');
    const dir = path.join(folder.path, 'network');
    await claimSubnet(dir, new AddressPool('10.1.0.0/24'), planFor);
    await writeFile(path.join(dir, '10.1.0.8.json'), '{"version":1}');
    const stored = await readNetworkRecords(dir);
    expect(stored).toEqual([
      expect.objectContaining({ record: expect.objectContaining({ plan: planFor(1) }) }),
      {
        file: path.join(dir, '10.1.0.8.json'),
        problem: `${path.join(dir, '10.1.0.8.json')} is not a Kindling network record`,
      },
    ]);
  });
});
