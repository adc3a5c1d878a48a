// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import type { ProcessSpawner } from '@kindling/spawner';
import { z } from 'zod';

/** The zod schema of a `ProcessSpawner`: any object with a `spawn` method. */
export const spawnerSchema = z.custom<ProcessSpawner>(
  (value) =>
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { spawn?: unknown }).spawn === 'function',
  { error: 'expected a ProcessSpawner (an object with a spawn method)' },
);
