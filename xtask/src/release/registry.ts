// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import path from 'node:path';
import { cleanEnv } from './command.ts';

/** A verdaccio the check started: its URL, a publish token, and how to stop it. */
export interface LocalRegistry {
  readonly url: string;
  readonly token: string;
  readonly stop: () => Promise<void>;
}

/** How to start the local registry. */
export interface RegistryOptions {
  /** verdaccio's executable (xtask's dev dependency). */
  readonly bin: string;
  /** A throw-away folder for its storage, configuration and users. */
  readonly dir: string;
  /** Where third-party packages come from: the registry npm is configured with. */
  readonly upstream: string;
  readonly timeoutMs: number;
}

const STOP_MS = 5000;

const freeLoopbackPort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => {
        if (address === null || typeof address === 'string') {
          reject(new Error('no port from a loopback listener'));
          return;
        }
        resolve(address.port);
      });
    });
  });

// `@kindling/*` is served from the local storage only (never proxied), so an install can only
// get what this check published; everything else comes through the upstream registry.
const configText = (dir: string, upstream: string): string =>
  [
    `storage: ${JSON.stringify(path.join(dir, 'storage'))}`,
    'auth:',
    '  htpasswd:',
    `    file: ${JSON.stringify(path.join(dir, 'htpasswd'))}`,
    '    max_users: 1',
    'uplinks:',
    '  upstream:',
    `    url: ${JSON.stringify(upstream)}`,
    '    timeout: 60s',
    'packages:',
    "  '@kindling/*':",
    '    access: $all',
    '    publish: $authenticated',
    "  '**':",
    '    access: $all',
    '    proxy: upstream',
    'log: { type: stdout, format: json, level: warn }',
    '',
  ].join('\n');

// The one user of this registry, created at run time: its token publishes.
const createUser = async (url: string, timeoutMs: number): Promise<string> => {
  const name = 'release-check';
  const response = await fetch(`${url}-/user/org.couchdb.user:${name}`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name, password: randomBytes(18).toString('base64url') }),
    signal: AbortSignal.timeout(timeoutMs),
  });
  const body = (await response.json()) as { token?: string; error?: string };
  if (!response.ok || body.token === undefined) {
    throw new Error(`the local registry refused a user: ${response.status} ${String(body.error)}`);
  }
  return body.token;
};

/** Starts verdaccio on a free loopback port with a fresh storage and one user. */
export const startRegistry = async (options: RegistryOptions): Promise<LocalRegistry> => {
  await mkdir(options.dir, { recursive: true });
  const configPath = path.join(options.dir, 'config.yaml');
  await writeFile(configPath, configText(options.dir, options.upstream));
  const port = await freeLoopbackPort();
  const child = spawn(options.bin, ['--config', configPath, '--listen', `127.0.0.1:${port}`], {
    env: cleanEnv(),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<void>((resolve) => {
    child.once('close', () => resolve());
  });
  // SIGTERM, then SIGKILL should verdaccio not be gone within STOP_MS: the wait is bounded.
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), STOP_MS);
      await exited;
      clearTimeout(timer);
    }
  };
  let printed = '';
  const deadline = AbortSignal.timeout(options.timeoutMs);
  // Settled once: by the address in the log, by an early end, or by the deadline.
  const listening = new Promise<void>((resolve, reject) => {
    deadline.addEventListener(
      'abort',
      () => {
        reject(new Error(`verdaccio did not listen within ${options.timeoutMs} ms:\n${printed}`));
      },
      { once: true },
    );
    child.stdout.on('data', (chunk: Buffer) => {
      printed += chunk.toString('utf8');
      // verdaccio logs its address once it listens.
      if (printed.includes(`127.0.0.1:${port}`)) {
        resolve();
      }
    });
    child.stderr.on('data', (chunk: Buffer) => {
      printed += chunk.toString('utf8');
    });
    child.once('error', reject);
    child.once('close', (code) => {
      reject(new Error(`verdaccio ended (code ${String(code)}) before listening:\n${printed}`));
    });
  });
  try {
    await listening;
    const url = `http://127.0.0.1:${port}/`;
    return { url, token: await createUser(url, options.timeoutMs), stop };
  } catch (error) {
    await stop();
    throw error;
  }
};

/** One package's document on the registry: its versions and dist-tags, and each version's data. */
export interface Packument {
  readonly 'dist-tags': Readonly<Record<string, string>>;
  readonly versions: Readonly<
    Record<
      string,
      {
        readonly dependencies?: Readonly<Record<string, string>>;
        readonly peerDependencies?: Readonly<Record<string, string>>;
        readonly dist: { readonly tarball: string; readonly unpackedSize?: number };
      }
    >
  >;
}

/** Reads a package's document from the registry; `undefined` when it has none. */
export const readPackument = async (
  url: string,
  name: string,
  timeoutMs: number,
): Promise<Packument | undefined> => {
  const response = await fetch(`${url}${name.replace('/', '%2f')}`, {
    signal: AbortSignal.timeout(timeoutMs),
  });
  if (response.status === 404) {
    return undefined;
  }
  if (!response.ok) {
    throw new Error(`the local registry answered ${response.status} for ${name}`);
  }
  return (await response.json()) as Packument;
};
