// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { afterAll, describe, expect, it } from 'vitest';
import { FAULT_ROWS, type FaultRow } from './support/fault-table.js';
import {
  arrangeFault,
  expectedObservation,
  expectedWords,
  faultTitle,
  NOTHING_LEFT,
  type FaultLeftovers,
  observeFault,
  needsFake,
} from './support/fault-run.js';
import { isRealBackend, SETUPS, type ExecutorSetup } from './support/vm-harness.js';

// How long each row took to surface, per setup: printed at the end, the figures of the fault
// matrix (bounds are checked per row; these are for reading).
const surfaced = new Map<string, number>();
afterAll(() => {
  const lines = [...surfaced].map(([row, ms]) => `${row}: ${ms} ms`);
  console.info(`time to surface:\n${lines.toSorted().join('\n')}`);
});

const titled = (rows: readonly FaultRow[]): { row: FaultRow; title: string }[] =>
  rows.map((row) => ({ row, title: faultTitle(row) }));

describe.each(SETUPS)('the fault matrix, $name', (setup: ExecutorSetup) => {
  // Meets the row's fault and checks what users got; returns what is left after the cleanup.
  const meetFault = async (row: FaultRow): Promise<FaultLeftovers> => {
    await using fixture = await arrangeFault(row, setup);
    const seen = await observeFault(row, fixture);
    surfaced.set(`${row.id} (${setup.tag})`, seen.elapsedMs);
    expect(seen).toMatchObject(expectedObservation(row, setup));
    for (const words of expectedWords(row)) {
      expect(seen.error).toMatchObject({ message: expect.stringContaining(words) });
    }
    expect(seen.elapsedMs).toBeLessThan(row.boundMs);
    await fixture.finish();
    // The process ended exactly once, whoever ended it: one exit or crash, never two.
    expect(fixture.events).toHaveLength(1);
    return await fixture.leftovers();
  };

  it.concurrent.each(titled(FAULT_ROWS.filter((row) => !needsFake(row))))(
    '$title',
    async ({ row }) => {
      expect(await meetFault(row)).toEqual(NOTHING_LEFT);
    },
  );
  // A real Firecracker has no fault switches: the reason is in each title.
  it.skipIf(isRealBackend).concurrent.each(titled(FAULT_ROWS.filter(needsFake)))(
    '$title',
    async ({ row }) => {
      expect(await meetFault(row)).toEqual(NOTHING_LEFT);
    },
  );
});
