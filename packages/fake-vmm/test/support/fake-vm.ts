// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, type Readable, type Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { runFirecracker } from '../../src/firecracker/main.js';
import { RawHttpClient, waitForSocket, type RawResponse } from './raw-http-client.js';
import { writeFakeKernel } from '../../src/testing/fake-kernel.js';

/** The built executable (turbo builds the package before its tests). */
export const FAKE_FIRECRACKER_BIN = fileURLToPath(
  new URL('../../dist/bin/fake-firecracker.js', import.meta.url),
);

/**
 * The Firecracker the fidelity suite runs against: a real v1.16.1 binary when
 * `KINDLING_FIRECRACKER` names one, else the fake (`KINDLING_FAKE_*` switches mean nothing to a
 * real binary, so rows that need them are skipped on it).
 */
export const REAL_FIRECRACKER: string | undefined =
  process.env['KINDLING_FIRECRACKER'] === '' ? undefined : process.env['KINDLING_FIRECRACKER'];

/** The executable to spawn: the real binary `real`, or (when undefined) Node running the fake's bin. */
export const firecrackerCommand = (
  args: readonly string[],
  real: string | undefined,
): { readonly file: string; readonly args: readonly string[] } =>
  real === undefined
    ? { file: process.execPath, args: [FAKE_FIRECRACKER_BIN, ...args] }
    : { file: real, args };

/** How a fake ended. */
export interface FakeExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

/** Options of `startFakeVm`. */
export interface FakeVmOptions {
  /** Arguments after `--api-sock <dir>/api.sock` (or all of them with `apiSock: false`). */
  readonly args?: readonly string[];
  readonly apiSock?: boolean;
  /** `KINDLING_FAKE_*` switches (`{dir}` stands for the temp folder); nothing is inherited. */
  readonly env?: Readonly<Record<string, string>>;
  /** Run `dist/bin/fake-firecracker.js` as a child process instead of in-process. */
  readonly spawn?: boolean;
  /** Wait for "API server started." (default true when the API socket is used). */
  readonly waitForApi?: boolean;
  /** Files to create in the temp folder first, by name. */
  readonly files?: Readonly<Record<string, string>>;
  /** Run the real binary named by `KINDLING_FIRECRACKER` when it is set (`startFidelityVm`). */
  readonly realWhenSet?: boolean;
}

/** A fake Firecracker under test, with its own temp folder. */
export interface FakeVm extends AsyncDisposable {
  readonly dir: string;
  readonly socketPath: string;
  /** The child's pid when spawned (undefined in-process). */
  readonly pid: number | undefined;
  readonly exited: Promise<FakeExit>;
  path(name: string): string;
  stdout(): string;
  stderr(): string;
  /** Resolves once stdout contains `text` (event-driven, bounded by `timeoutMs`). */
  waitForStdout(text: string | RegExp, timeoutMs?: number): Promise<void>;
  /** A new raw connection to the API socket (closed on dispose). */
  connect(): Promise<RawHttpClient>;
  /** A request on a shared keep-alive connection. */
  api(method: string, path: string, body?: unknown): Promise<RawResponse>;
  /** Types a line on the serial console. */
  typeOnSerial(line: string): void;
  kill(): Promise<FakeExit>;
}

const collect = (stream: Readable, sink: { text: string }, onData: () => void): void => {
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => {
    sink.text += chunk;
    onData();
  });
};

/**
 * Starts a fake Firecracker in a fresh temp folder. Tests of the fake's own features (switches,
 * the simulated guest) always get the fake; the fidelity suite uses `startFidelityVm`.
 */
export const startFakeVm = async (options: FakeVmOptions = {}): Promise<FakeVm> => {
  const real = options.realWhenSet === true ? REAL_FIRECRACKER : undefined;
  const dir = await mkdtemp(join(tmpdir(), 'kindling-fake-fc-'));
  for (const [name, content] of Object.entries(options.files ?? {})) {
    await writeFile(join(dir, name), content);
  }
  const env = Object.fromEntries(
    Object.entries(options.env ?? {}).map(([name, value]) => [
      name,
      value.replaceAll('{dir}', dir),
    ]),
  );
  const socketPath = join(dir, 'api.sock');
  const useSocket = options.apiSock ?? true;
  const argv = [...(useSocket ? ['--api-sock', socketPath] : []), ...(options.args ?? [])];
  const out = { text: '' };
  const err = { text: '' };
  const listeners = new Set<() => void>();
  const notify = (): void => {
    for (const listener of listeners) {
      listener();
    }
  };
  let stdin: Writable;
  let pid: number | undefined;
  let exited: Promise<FakeExit>;
  let kill: () => void;
  if (options.spawn === true || real !== undefined) {
    const inherited = Object.fromEntries(
      Object.entries(process.env).filter(([name]) => !name.startsWith('KINDLING_FAKE_')),
    );
    const command = firecrackerCommand(argv, real);
    const child = spawn(command.file, command.args, {
      env: { ...inherited, ...env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    collect(child.stdout, out, notify);
    collect(child.stderr, err, notify);
    stdin = child.stdin;
    ({ pid } = child);
    exited = once(child, 'exit').then(([code, signal]) => ({
      code: code as number | null,
      signal: signal as NodeJS.Signals | null,
    }));
    kill = () => {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGKILL');
      }
    };
  } else {
    const stdout = new PassThrough();
    const stderr = new PassThrough();
    const input = new PassThrough();
    collect(stdout, out, notify);
    collect(stderr, err, notify);
    stdin = input;
    const controller = new AbortController();
    exited = runFirecracker({
      argv,
      env,
      stdout,
      stderr,
      stdin: input,
      signal: controller.signal,
    }).then((code) => ({ code, signal: null }));
    kill = () => controller.abort();
  }
  const clients = new Set<RawHttpClient>();
  let shared: RawHttpClient | undefined;
  const waitForStdout = async (text: string | RegExp, timeoutMs = 20_000): Promise<void> => {
    const found = (): boolean =>
      typeof text === 'string' ? out.text.includes(text) : text.test(out.text);
    if (found()) {
      return;
    }
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        listeners.delete(check);
        reject(
          new Error(
            `stdout never showed ${String(text)}; it was:\n${out.text}\nstderr:\n${err.text}`,
          ),
        );
      }, timeoutMs);
      const check = (): void => {
        if (found()) {
          clearTimeout(timer);
          listeners.delete(check);
          resolve();
        }
      };
      listeners.add(check);
    });
  };
  const vm: FakeVm = {
    dir,
    socketPath,
    pid,
    exited,
    path: (name) => join(dir, name),
    stdout: () => out.text,
    stderr: () => err.text,
    waitForStdout,
    connect: async () => {
      const client = await RawHttpClient.connect(socketPath);
      clients.add(client);
      return client;
    },
    api: async (method, path, body) => {
      shared ??= await vm.connect();
      return shared.request(method, path, body);
    },
    typeOnSerial: (line) => {
      stdin.write(`${line}\n`);
    },
    kill: () => {
      kill();
      return exited;
    },
    [Symbol.asyncDispose]: async () => {
      for (const client of clients) {
        client.close();
      }
      kill();
      await exited;
      await rm(dir, { recursive: true, force: true });
    },
  };
  if (useSocket && (options.waitForApi ?? true)) {
    try {
      await Promise.race([
        waitForSocket(dir, socketPath),
        exited.then((exit) => {
          throw new Error(
            `the fake exited (${JSON.stringify(exit)}) before its API started:\n${out.text}\n${err.text}`,
          );
        }),
      ]);
    } catch (error) {
      await vm[Symbol.asyncDispose]();
      throw error;
    }
  }
  return vm;
};

/** A console-enabled boot source and a root drive, as most tests want. */
export const configureBoot = async (
  vm: FakeVm,
  bootArgs = 'console=ttyS0 reboot=k panic=1',
): Promise<void> => {
  await writeFakeKernel(vm.path('vmlinux'));
  await writeFile(vm.path('rootfs.ext4'), 'fake rootfs');
  const responses = [
    await vm.api('PUT', '/boot-source', {
      kernel_image_path: vm.path('vmlinux'),
      boot_args: bootArgs,
    }),
    await vm.api('PUT', '/drives/rootfs', {
      drive_id: 'rootfs',
      path_on_host: vm.path('rootfs.ext4'),
      is_root_device: true,
      is_read_only: false,
    }),
  ];
  for (const response of responses) {
    if (response.status !== 204) {
      throw new Error(`configuring the boot failed: ${response.raw}`);
    }
  }
};

/** Boots the VM (InstanceStart) and optionally pauses it. */
export const bootTo = async (vm: FakeVm, state: 'Running' | 'Paused'): Promise<void> => {
  const started = await vm.api('PUT', '/actions', { action_type: 'InstanceStart' });
  if (started.status !== 204) {
    throw new Error(`InstanceStart failed: ${started.raw}`);
  }
  if (state === 'Paused') {
    const paused = await vm.api('PATCH', '/vm', { state: 'Paused' });
    if (paused.status !== 204) {
      throw new Error(`pausing failed: ${paused.raw}`);
    }
  }
};

/**
 * Starts the Firecracker the fidelity suite compares: the real binary when `KINDLING_FIRECRACKER`
 * names one, else the fake.
 */
export const startFidelityVm = (options: FakeVmOptions = {}): Promise<FakeVm> =>
  startFakeVm({ ...options, realWhenSet: true });
