// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { readFileSync } from 'node:fs';
import { setTimeout as delay } from 'node:timers/promises';
import { TEST_WAIT_MS } from './test-wait.js';

/**
 * Whether a pid names a live process. A zombie has ended (only its parent's wait is missing), so
 * it counts as gone: an orphan waits for an init that may reap it late.
 */
export const isAlive = (pid: number): boolean => {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return false;
  }
  const state = text.slice(text.lastIndexOf(')') + 2, text.lastIndexOf(')') + 3);
  return state !== 'Z' && state !== 'X';
};

/**
 * Waits until a process that is not our child is gone. procfs sends no event when a process ends,
 * so this looks with a doubling delay (1 ms up to 50 ms) and gives up after `timeoutMs`.
 */
export const waitUntilGone = async (pid: number, timeoutMs = TEST_WAIT_MS): Promise<void> => {
  const deadline = Date.now() + timeoutMs;
  let delayMs = 1;
  while (isAlive(pid)) {
    if (Date.now() > deadline) {
      throw new Error(`process ${pid} was still alive after ${timeoutMs} ms`);
    }
    await delay(delayMs);
    delayMs = Math.min(delayMs * 2, 50);
  }
};
