// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  createFakeInstallation,
  writeFakeKernel,
  type FakeSwitches,
  buildFakeEnv,
} from '@kindling/fake-vmm';
import { TEST_WAIT_MS, createTempFolder, type TempFolder } from '@kindling/test-utils';

/** The built bin every test spawns: one dist, built by turbo before the tests. */
export const BIN = fileURLToPath(new URL('../../dist/bin/kindling.js', import.meta.url));

/** What one run of `kindling` did. */
export interface CliRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** A state folder, a fake installation and a fake kernel, all removed at disposal. */
export interface CliFixture extends AsyncDisposable {
  readonly dir: string;
  readonly kernel: string;
  readonly env: NodeJS.ProcessEnv;
  /** Runs `node dist/bin/kindling.js …args` to its end. */
  run(args: readonly string[], env?: NodeJS.ProcessEnv): Promise<CliRun>;
  /** Runs it and parses its stdout as JSON (after checking the exit code). */
  json<T = Record<string, unknown>>(args: readonly string[], code?: number): Promise<T>;
  /** The VM folders left in the state folder. */
  vmFolders(): Promise<string[]>;
}

/** Creates a fixture; `switches` go into the fake Firecracker's environment. */
export const createCliFixture = async (switches: FakeSwitches = {}): Promise<CliFixture> => {
  if (!existsSync(BIN)) {
    throw new Error(
      `${BIN} does not exist: build @kindling/cli first (pnpm --filter @kindling/cli build)`,
    );
  }
  const folder: TempFolder = await createTempFolder('kindling-cli-');
  const dir = folder.path;
  const fakes = await createFakeInstallation(path.join(dir, 'bin'), {
    env: buildFakeEnv(switches),
  });
  const kernel = await writeFakeKernel(path.join(dir, 'vmlinux'));
  const env: NodeJS.ProcessEnv = {
    PATH: process.env['PATH'] ?? '/usr/bin:/bin',
    HOME: dir,
    KINDLING_STATE_DIR: path.join(dir, 'state'),
    KINDLING_FIRECRACKER: fakes.firecrackerPath,
    KINDLING_JAILER: fakes.jailerPath,
    KINDLING_SNAPSHOT_EDITOR: fakes.snapshotEditorPath,
  };
  const run = (args: readonly string[], extra: NodeJS.ProcessEnv = {}): Promise<CliRun> =>
    new Promise((resolve) => {
      execFile(
        process.execPath,
        [BIN, ...args],
        { env: { ...env, ...extra }, timeout: TEST_WAIT_MS },
        (error, stdout, stderr) => {
          const code = error === null ? 0 : typeof error.code === 'number' ? error.code : null;
          resolve({ code, stdout, stderr });
        },
      );
    });
  return {
    dir,
    kernel,
    env,
    run,
    json: async <T>(args: readonly string[], code = 0): Promise<T> => {
      const result = await run([...args, '--json']);
      if (result.code !== code) {
        throw new Error(
          `kindling ${args.join(' ')} exited ${result.code}, not ${code}: ${result.stderr}`,
        );
      }
      return JSON.parse(result.stdout) as T;
    },
    vmFolders: () => readdir(path.join(dir, 'state', 'vms')).catch(() => []),
    [Symbol.asyncDispose]: async () => {
      // Whatever a failed test left running goes first, then the files.
      await run(['reconcile']);
      for (const name of await readdir(path.join(dir, 'state', 'vms')).catch(() => [])) {
        await run(['stop', name, '--graceful-timeout', '1000']);
      }
      await folder[Symbol.asyncDispose]();
    },
  };
};

/** A `kindling` run on a pseudo-terminal (util-linux `script`): keys in, screen out. */
export interface TerminalRun {
  /** Types bytes on the terminal (\x03 is Ctrl-C). */
  type(bytes: string): void;
  /** Resolves once the screen shows `text`. */
  waitFor(text: string): Promise<void>;
  readonly exit: Promise<{ code: number | null; screen: string }>;
}

/** Starts `kindling …args` on a pseudo-terminal. */
export const runOnTerminal = (args: readonly string[], env: NodeJS.ProcessEnv): TerminalRun => {
  const command = [process.execPath, BIN, ...args].map((word) => `'${word}'`).join(' ');
  // -e: script exits with the command's code; -f: flush at once; the log goes nowhere.
  const child = spawn('script', ['-qfec', command, '/dev/null'], {
    env,
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  let screen = '';
  const waiters = new Set<() => void>();
  child.stdout.on('data', (chunk: Buffer) => {
    screen += chunk.toString('utf8');
    for (const waiter of waiters) {
      waiter();
    }
  });
  const exit = new Promise<{ code: number | null; screen: string }>((resolve) => {
    child.once('exit', (code) => resolve({ code, screen }));
  });
  return {
    type: (bytes) => child.stdin.write(bytes),
    waitFor: (text) =>
      new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(
            new Error(`the terminal did not show "${text}" within ${TEST_WAIT_MS} ms:\n${screen}`),
          );
        }, TEST_WAIT_MS);
        const check = (): void => {
          if (screen.includes(text)) {
            clearTimeout(timer);
            waiters.delete(check);
            resolve();
          }
        };
        waiters.add(check);
        check();
      }),
    exit,
  };
};
