// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { closeSync, openSync, writeSync } from 'node:fs';
import type { JournalRecord } from './journal.js';

/** Appends journal records synchronously, so a record survives an exit fault right after it. */
export interface JournalWriter {
  append(record: JournalRecord): void;
  close(): void;
}

/** Opens (creating, appending) the journal at `path`. */
export const openJournalWriter = (path: string): JournalWriter => {
  const fd = openSync(path, 'a');
  let open = true;
  return {
    append: (record) => {
      writeSync(fd, `${JSON.stringify(record)}\n`);
    },
    close: () => {
      if (open) {
        open = false;
        closeSync(fd);
      }
    },
  };
};
