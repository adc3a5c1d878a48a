// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { describe, expect, it } from 'vitest';
import {
  FAULT_TABLE_HEADER,
  formatFaultTable,
  readReadmeFaultTable,
  renderFaultRow,
} from './support/fault-readme.js';
import { FAULT_ROWS } from './support/fault-table.js';

describe('the README’s Faults section', () => {
  it('is the table the fault matrix tests, row for row', async () => {
    const expected = [FAULT_TABLE_HEADER, ...FAULT_ROWS.map(renderFaultRow)];
    expect(
      await readReadmeFaultTable(),
      `README.md § Faults must carry this table:\n${formatFaultTable(expected)}\n`,
    ).toEqual(expected);
  });
});
