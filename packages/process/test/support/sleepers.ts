// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { readProcessStartTime } from '@kindling/executor';

/** A process by pid and start time, as a state record names it. */
export interface ProcessIdentity {
  readonly pid: number;
  readonly startTime: number;
}

/** Starts `sleep 60` children for tests and kills whichever still run on `dispose()`. */
export class Sleepers {
  readonly #children: ChildProcess[] = [];

  /** Starts one and returns its pid and start time. */
  async start(): Promise<ProcessIdentity> {
    const child = spawn('sleep', ['60'], { stdio: 'ignore' });
    this.#children.push(child);
    await once(child, 'spawn');
    const pid = child.pid as number;
    return { pid, startTime: (await readProcessStartTime(pid)) as number };
  }

  /** The identity of a process that ran and has ended: its pid and start time name nothing. */
  async ended(): Promise<ProcessIdentity> {
    const identity = await this.start();
    const child = this.#children.at(-1) as ChildProcess;
    child.kill('SIGKILL');
    await once(child, 'exit');
    return identity;
  }

  async dispose(): Promise<void> {
    for (const child of this.#children.splice(0)) {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGKILL');
        await once(child, 'exit');
      }
    }
  }
}
