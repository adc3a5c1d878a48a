// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { TEST_WAIT_MS } from '@kindling/test-utils';
import type { ServerConfigInput } from '../../src/index.js';

const MAIN = fileURLToPath(new URL('serve-main.ts', import.meta.url));

/** A server in a process of its own, to kill or signal as an init system would. */
export class ServerProcess implements AsyncDisposable {
  readonly child: ChildProcess;
  readonly #lines: AsyncIterator<string>;

  private constructor(child: ChildProcess) {
    this.child = child;
    this.#lines = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
  }

  /** Starts one and resolves once it listens. */
  static async start(config: ServerConfigInput): Promise<ServerProcess> {
    const child = spawn(process.execPath, [MAIN, JSON.stringify(config)], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const server = new ServerProcess(child);
    await server.nextLine();
    return server;
  }

  /** The next line it prints, parsed, within the test wait. */
  async nextLine(): Promise<Record<string, unknown>> {
    const next = await Promise.race([
      this.#lines.next(),
      new Promise<never>((_resolve, reject) => {
        setTimeout(
          () => reject(new Error('the server process printed nothing in time')),
          TEST_WAIT_MS,
        ).unref();
      }),
    ]);
    if (next.done === true) {
      throw new Error('the server process ended before it printed a line');
    }
    return JSON.parse(next.value) as Record<string, unknown>;
  }

  /** Sends a signal and waits for the process to end; resolves with its exit code and signal. */
  stop(signal: NodeJS.Signals): Promise<[number | null, NodeJS.Signals | null]> {
    const exited = once(this.child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
    this.child.kill(signal);
    return exited;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) {
      await this.stop('SIGKILL');
    }
  }
}
