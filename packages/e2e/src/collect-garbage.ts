// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

// `gc` exists only with --expose-gc; the flag set at run time exposes it to new contexts, so a
// benchmark run as `node x.bench.ts` (as `pnpm xtask bench` does) can still ask for one.
const resolveGc = (): (() => void) | undefined => {
  const exposed = (globalThis as { gc?: () => void }).gc;
  if (exposed !== undefined) {
    return exposed;
  }
  try {
    setFlagsFromString('--expose-gc');
    return runInNewContext('gc') as () => void;
  } catch {
    return undefined;
  }
};

const gc = resolveGc();

/** Whether `collectGarbage()` really collects (else memory figures include garbage). */
export const canCollectGarbage = gc !== undefined;

/** A full garbage collection when one can be asked for; nothing otherwise. */
export const collectGarbage = (): void => {
  gc?.();
};
