// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import {
  DirectSpawner,
  type ProcessExit,
  type ProcessSpawner,
  type SpawnedProcess,
} from '@kindling/spawner';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { VmmCoreError } from '../errors.js';
import { VmmInstallation } from './vmm-installation.js';

const VERSION = '1.16.1';

const script = (stdout: string, exitCode = 0): string =>
  `#!/bin/sh\nprintf '%s' '${stdout}'\nexit ${exitCode}\n`;

const GOOD = {
  firecracker: script('Firecracker v1.16.1\n\n'),
  jailer: script('Jailer v1.16.1\n\n'),
  snapshotEditor: script('snapshot-editor v1.16.1\n'),
};

const catchError = async (promise: Promise<unknown>): Promise<VmmCoreError> => {
  const error = await promise.then(
    () => {
      throw new Error('expected verify to fail');
    },
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(VmmCoreError);
  return error as VmmCoreError;
};

/** Counts spawns, to prove that nothing runs before validation passes. */
class RecordingSpawner implements ProcessSpawner {
  readonly spawned: string[] = [];
  readonly #inner = new DirectSpawner();

  spawn(...args: Parameters<ProcessSpawner['spawn']>): ReturnType<ProcessSpawner['spawn']> {
    this.spawned.push(args[0]);
    return this.#inner.spawn(...args);
  }
}

const VERSION_LINES: Readonly<Record<string, string>> = {
  firecracker: `Firecracker v${VERSION}\n\n`,
  jailer: `Jailer v${VERSION}\n\n`,
  'snapshot-editor': `snapshot-editor v${VERSION}\n`,
};

/**
 * A spawner whose processes print their version only once three of them were spawned: a verify
 * that ran the binaries one after the other would never finish.
 */
const createBarrierSpawner = (): ProcessSpawner & { readonly spawned: readonly string[] } => {
  const spawned: string[] = [];
  const releases: (() => void)[] = [];
  return {
    spawned,
    spawn: (binary) => {
      const stdout = new PassThrough();
      const stderr = new PassThrough();
      const { promise: exited, resolve: exit } = Promise.withResolvers<ProcessExit>();
      spawned.push(path.basename(binary));
      releases.push(() => {
        stdout.end(VERSION_LINES[path.basename(binary)]);
        stderr.end();
        exit({ code: 0, signal: null });
      });
      if (releases.length === 3) {
        for (const release of releases) {
          release();
        }
      }
      const child: SpawnedProcess = {
        pid: 1,
        stdin: null,
        stdout,
        stderr,
        exited,
        kill: () => false,
      };
      return Promise.resolve(child);
    },
  };
};

/** A copy of Node's own ELF header that claims the other supported architecture. */
const createForeignElf = async (): Promise<Buffer> => {
  const elf = (await readFile(process.execPath)).subarray(0, 4096);
  const machines = [0x3e, 0xb7];
  elf.writeUInt16LE(machines.find((machine) => machine !== elf.readUInt16LE(18)) ?? 0x3e, 18);
  return elf;
};

describe('VmmInstallation', () => {
  let dir: string;

  const install = async (
    contents: Partial<Record<keyof typeof GOOD, string | null>> = {},
    modes: Partial<Record<keyof typeof GOOD, number>> = {},
  ): Promise<VmmInstallation> => {
    const paths = {
      firecracker: path.join(dir, 'firecracker'),
      jailer: path.join(dir, 'jailer'),
      snapshotEditor: path.join(dir, 'snapshot-editor'),
    };
    for (const key of ['firecracker', 'jailer', 'snapshotEditor'] as const) {
      const content = key in contents ? contents[key] : GOOD[key];
      if (content !== null && content !== undefined) {
        await writeFile(paths[key], content);
        await chmod(paths[key], modes[key] ?? 0o755);
      }
    }
    return new VmmInstallation({
      firecrackerPath: paths.firecracker,
      jailerPath: paths.jailer,
      snapshotEditorPath: paths.snapshotEditor,
    });
  };

  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'kindling-installation-'));
  });

  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('resolves relative paths against the working directory', () => {
    const installation = new VmmInstallation({
      firecrackerPath: 'bin/firecracker',
      jailerPath: '/opt/fc/jailer',
      snapshotEditorPath: './snapshot-editor',
    });
    expect(installation.firecrackerPath).toBe(path.resolve('bin/firecracker'));
    expect(installation.jailerPath).toBe('/opt/fc/jailer');
    expect(installation.snapshotEditorPath).toBe(path.resolve('snapshot-editor'));
  });

  it('rejects a bad path with ERR_INVALID_INPUT naming the field', () => {
    expect(
      () =>
        new VmmInstallation({
          firecrackerPath: '',
          jailerPath: '/j',
          snapshotEditorPath: '/s',
        }),
    ).toThrow(/installation\.firecrackerPath: must be a path to a binary, got ""/u);
    expect(
      () =>
        new VmmInstallation({
          firecrackerPath: '/f',
          jailerPath: '/j',
        } as never),
    ).toThrow(/installation\.snapshotEditorPath: .*got nothing/u);
  });

  it('verifies three binaries that print the expected version, with or without the v', async () => {
    const installation = await install();
    await expect(installation.verify(VERSION)).resolves.toBeUndefined();
    await expect(installation.verify(`v${VERSION}`)).resolves.toBeUndefined();
  });

  it('fails with ERR_BINARY_MISSING for a missing file', async () => {
    const installation = await install({ jailer: null });
    const error = await catchError(installation.verify(VERSION));
    expect(error.code).toBe('ERR_BINARY_MISSING');
    expect(error.message).toContain(`The jailer binary ${path.join(dir, 'jailer')} does not exist`);
    expect((error.cause as NodeJS.ErrnoException).code).toBe('ENOENT');
  });

  it('fails with ERR_BINARY_NOT_EXECUTABLE for a file without execute permission', async () => {
    const installation = await install({}, { firecracker: 0o644 });
    const error = await catchError(installation.verify(VERSION));
    expect(error.code).toBe('ERR_BINARY_NOT_EXECUTABLE');
    expect(error.message).toMatch(
      /firecracker binary .* is not executable \(mode 0644\): run chmod \+x/u,
    );
  });

  it('fails with ERR_BINARY_NOT_EXECUTABLE for a directory', async () => {
    const installation = await install({ snapshotEditor: null });
    await mkdir(path.join(dir, 'snapshot-editor'));
    const error = await catchError(installation.verify(VERSION));
    expect(error.code).toBe('ERR_BINARY_NOT_EXECUTABLE');
    expect(error.message).toContain('is not a regular file');
  });

  it('fails with ERR_BINARY_NOT_EXECUTABLE for a file that is no program', async () => {
    const installation = await install({ firecracker: 'garbage, not a program\n' });
    const error = await catchError(installation.verify(VERSION));
    expect(error.code).toBe('ERR_BINARY_NOT_EXECUTABLE');
    expect(error.message).toContain('is neither an ELF binary nor a script');
  });

  it('fails with ERR_BINARY_NOT_EXECUTABLE for a binary of another architecture', async () => {
    const installation = await install();
    await writeFile(installation.jailerPath, await createForeignElf());
    const error = await catchError(installation.verify(VERSION));
    expect(error.code).toBe('ERR_BINARY_NOT_EXECUTABLE');
    expect(error.message).toMatch(
      /jailer binary .* is built for (aarch64|x86_64) and this machine is/u,
    );
  });

  it('fails with ERR_BINARY_NOT_EXECUTABLE when the spawn itself fails', async () => {
    const installation = await install({ snapshotEditor: '#!/nonexistent/interpreter\n' });
    const error = await catchError(installation.verify(VERSION));
    expect(error.code).toBe('ERR_BINARY_NOT_EXECUTABLE');
    expect(error.message).toMatch(/Could not run the snapshot-editor binary/u);
    expect(error.cause).toBeInstanceOf(Error);
  });

  it('fails with ERR_BINARY_WRONG when a script prints another binary name', async () => {
    const installation = await install({ firecracker: GOOD.jailer });
    const error = await catchError(installation.verify(VERSION));
    expect(error.code).toBe('ERR_BINARY_WRONG');
    expect(error.message).toContain(
      `--version printed "Jailer v1.16.1" instead of "Firecracker v1.16.1": it is not Firecracker's firecracker`,
    );
  });

  it('fails with ERR_BINARY_WRONG when --version exits with an error', async () => {
    const installation = await install({ snapshotEditor: script('', 2) });
    const error = await catchError(installation.verify(VERSION));
    expect(error.code).toBe('ERR_BINARY_WRONG');
    expect(error.message).toMatch(/--version exited with code 2/u);
  });

  it('fails with ERR_BINARY_VERSION when a script prints another version', async () => {
    const installation = await install({ jailer: script('Jailer v1.15.0\n\n') });
    const error = await catchError(installation.verify(VERSION));
    expect(error.code).toBe('ERR_BINARY_VERSION');
    expect(error.message).toContain('is jailer v1.15.0, not v1.16.1');
  });

  it('compares versions exactly, so 1.16.10 is not 1.16.1', async () => {
    const installation = await install({ firecracker: script('Firecracker v1.16.10\n\n') });
    const error = await catchError(installation.verify(VERSION));
    expect(error.code).toBe('ERR_BINARY_VERSION');
  });

  it('reports every failing binary when several fail, the first one giving the code', async () => {
    const installation = await install({ firecracker: null, jailer: script('Jailer v1.0.0\n\n') });
    const error = await catchError(installation.verify(VERSION));
    expect(error.code).toBe('ERR_BINARY_MISSING');
    expect(error.message).toMatch(
      /does not exist.*\nAlso:\n- VmmCoreError: .*is jailer v1\.0\.0/su,
    );
    expect(error.cause).toBeInstanceOf(AggregateError);
    const codes = (error.cause as AggregateError).errors.map((inner: VmmCoreError) => inner.code);
    expect(codes).toEqual(['ERR_BINARY_MISSING', 'ERR_BINARY_VERSION']);
  });

  it('runs the three --version checks concurrently', async () => {
    const spawner = createBarrierSpawner();
    const installation = await install();
    await expect(
      installation.verify(VERSION, { spawner, timeoutMs: 5000 }),
    ).resolves.toBeUndefined();
    expect(spawner.spawned.toSorted()).toEqual(['firecracker', 'jailer', 'snapshot-editor']);
  });

  it('fails with ERR_BINARY_WRONG when --version does not finish within timeoutMs', async () => {
    const installation = await install({ jailer: '#!/bin/sh\nexec sleep 30\n' });
    const error = await catchError(installation.verify(VERSION, { timeoutMs: 300 }));
    expect(error.code).toBe('ERR_BINARY_WRONG');
    expect(error.message).toMatch(/did not finish within 300 ms/u);
  });

  it('rejects with the signal reason when aborted', async () => {
    const installation = await install({ jailer: '#!/bin/sh\nexec sleep 30\n' });
    const controller = new AbortController();
    const reason = new Error('stop');
    const verifying = installation.verify(VERSION, { signal: controller.signal });
    controller.abort(reason);
    await expect(verifying).rejects.toBe(reason);
  });

  it('validates the version and options before spawning anything', async () => {
    const installation = await install();
    const spawner = new RecordingSpawner();
    const versionError = await catchError(installation.verify('latest', { spawner }));
    expect(versionError.code).toBe('ERR_INVALID_INPUT');
    expect(versionError.message).toMatch(
      /^expectedVersion: must be a Firecracker version.*got "latest"/u,
    );
    const optionError = await catchError(installation.verify(VERSION, { spawner, timeoutMs: -1 }));
    expect(optionError.message).toMatch(/verifyOptions\.timeoutMs: .*got -1/u);
    expect(spawner.spawned).toEqual([]);
    await installation.verify(VERSION, { spawner });
    expect(spawner.spawned).toHaveLength(3);
  });
});
