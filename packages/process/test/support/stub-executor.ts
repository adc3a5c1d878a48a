// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {
  wrapChildProcess,
  type ProcessHandle,
  type VmmExecutor,
  type VmmExecutorContext,
} from '@kindling/executor';
import { DirectSpawner } from '@kindling/spawner';
import { ResourceSystem } from '@kindling/vmm-core';

/** How the stub VMM behaves once started. */
export type StubMode =
  /** Listens on the socket (after `delayMs`), answers every request, exits 0 on Ctrl+Alt+Del. */
  | 'serve'
  /** Writes a line to stdout and stderr, then exits 1 without listening. */
  | 'crash'
  /** Runs without ever listening. */
  | 'silent'
  /** Copies stdin to stdout without listening, and exits 3 once stdin ends. */
  | 'echo';

// A Firecracker stand-in: one request at a time, status lines without a reason phrase.
const STUB_SCRIPT = `
const net = require('node:net');
const [socketPath, mode, delayMs] = process.argv.slice(1);
process.stdout.write('stub: starting\\n');
if (mode === 'crash') {
  process.stdout.write('stub: Failed to open the API socket\\n');
  process.stderr.write('stub: fatal\\n');
  process.exitCode = 1;
} else if (mode === 'silent') {
  setInterval(() => undefined, 1000);
} else if (mode === 'echo') {
  process.stdin.pipe(process.stdout);
  process.stdin.on('end', () => { process.exitCode = 3; });
} else {
  const server = net.createServer((socket) => {
    let buffer = '';
    socket.on('data', (chunk) => {
      buffer += chunk.toString('latin1');
      for (;;) {
        const end = buffer.indexOf('\\r\\n\\r\\n');
        if (end === -1) return;
        const length = Number(/content-length: *(\\d+)/i.exec(buffer.slice(0, end))?.[1] ?? 0);
        if (buffer.length < end + 4 + length) return;
        const body = buffer.slice(end + 4, end + 4 + length);
        buffer = buffer.slice(end + 4 + length);
        if (body.includes('SendCtrlAltDel')) {
          socket.write('HTTP/1.1 204 \\r\\nServer: Firecracker API\\r\\nConnection: keep-alive\\r\\n\\r\\n', () => process.exit(0));
          return;
        }
        const json = '{"id":"stub","state":"Not started"}';
        socket.write('HTTP/1.1 200 \\r\\nServer: Firecracker API\\r\\nConnection: keep-alive\\r\\nContent-Type: application/json\\r\\nContent-Length: ' + json.length + '\\r\\n\\r\\n' + json);
      }
    });
  });
  setTimeout(() => server.listen(socketPath), Number(delayMs));
}
`;

/** A `VmmExecutor` that runs a Node stand-in for Firecracker in a temporary folder. */
export class StubExecutor implements VmmExecutor {
  readonly dir: string;
  mode: StubMode = 'serve';
  delayMs = 0;
  noApi = false;
  failPrepare = false;
  failInvoke = false;
  /** Whether the stub's stdin is piped (else ignored). */
  pipeStdin = true;
  /** What `getJailPath` answers, as a wrapper of a jailed executor would. */
  reportedJailPath: string | undefined;
  readonly calls: string[] = [];

  private constructor(dir: string) {
    this.dir = dir;
  }

  /** Creates the stub and its folder; `dispose()` removes the folder. */
  static async create(): Promise<StubExecutor> {
    return new StubExecutor(await mkdtemp(path.join(os.tmpdir(), 'kindling-stub-vmm-')));
  }

  get markerPath(): string {
    return path.join(this.dir, 'prepared');
  }

  getSocketPath(): string | undefined {
    return this.noApi ? undefined : path.join(this.dir, 'api.sock');
  }

  getJailPath(): string | undefined {
    return this.reportedJailPath;
  }

  resolveEffectivePath(_context: VmmExecutorContext, virtualPath: string): string {
    return path.join(this.dir, virtualPath);
  }

  async prepare(): Promise<void> {
    this.calls.push('prepare');
    await writeFile(this.markerPath, 'prepared');
    if (this.failPrepare) {
      throw new Error('stub prepare failed');
    }
  }

  async invoke(context: VmmExecutorContext): Promise<ProcessHandle> {
    this.calls.push('invoke');
    if (this.failInvoke) {
      throw new Error('stub invoke failed');
    }
    const child = await context.spawner.spawn(
      process.execPath,
      ['-e', STUB_SCRIPT, path.join(this.dir, 'api.sock'), this.mode, String(this.delayMs)],
      { stdio: { stdin: this.pipeStdin ? 'pipe' : 'ignore', stdout: 'pipe', stderr: 'pipe' } },
    );
    return wrapChildProcess(child);
  }

  async cleanup(): Promise<void> {
    this.calls.push('cleanup');
    await rm(path.join(this.dir, 'api.sock'), { force: true });
    await rm(this.markerPath, { force: true });
  }

  /** Whether the stub left any file behind in its folder. */
  leftovers(): boolean {
    return existsSync(this.markerPath) || existsSync(path.join(this.dir, 'api.sock'));
  }

  async dispose(): Promise<void> {
    await rm(this.dir, { recursive: true, force: true });
  }
}

/**
 * A context of a spawner and an empty resource system (whose disposal plan the process records):
 * the stub needs nothing else.
 */
export const stubContext = (): VmmExecutorContext =>
  ({
    spawner: new DirectSpawner(),
    resourceSystem: new ResourceSystem(),
  }) as unknown as VmmExecutorContext;
