// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { describe, expect, it } from 'vitest';

const HELPER_URL = new URL('../src/terminate-on-node-exit.ts', import.meta.url).href;
// Far below the sleeper's 60 s: output ending sooner means the sleeper was stopped.
const END_WAIT_MS = 15_000;

// A Node program that starts `sleep 60` on its own stdout, prints the sleeper's pid and exits.
// The test's end of that stdout ends only once both have closed it: the program by exiting, the
// sleeper by dying.
const PROGRAM = `
import { spawn } from 'node:child_process';
import { terminateOnNodeExit } from ${JSON.stringify(HELPER_URL)};
const sleeper = spawn('sleep', ['60'], { stdio: ['ignore', 'inherit', 'ignore'] });
terminateOnNodeExit(sleeper);
sleeper.once('spawn', () => {
  process.stdout.write(sleeper.pid + '\\n');
  process.exit(0);
});
`;

// Whatever the outcome, the sleeper printed in `output` must not outlive the test.
const stopSleeper = (output: string): void => {
  const pid = Number(output.trim());
  if (!Number.isSafeInteger(pid) || pid <= 0) {
    return;
  }
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // Gone already, as it should be.
  }
};

describe('terminateOnNodeExit', () => {
  it('sends SIGTERM to a child still running when Node exits, as execa did', async () => {
    const program = spawn(process.execPath, ['--input-type=module', '-e', PROGRAM], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let output = '';
    program.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      output += chunk;
    });
    const exited = once(program, 'exit');
    try {
      await once(program.stdout, 'end', { signal: AbortSignal.timeout(END_WAIT_MS) });
      expect(await exited).toStrictEqual([0, null]);
      expect(output).toMatch(/^\d+\n$/u);
    } finally {
      stopSleeper(output);
    }
  });
});
