// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { VmmInstallation } from '@kindling/vmm-core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildFakeEnv, createFakeInstallation, FakeVmmError } from '../src/index.js';

const run = promisify(execFile);
let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'kindling-installation-test-'));
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('createFakeInstallation', () => {
  it('writes executable wrappers that print the real version lines', async () => {
    const installation = await createFakeInstallation(path.join(dir, 'bin'));
    expect((await stat(installation.firecrackerPath)).mode & 0o777).toBe(0o755);
    const versions = await Promise.all([
      run(installation.firecrackerPath, ['--version']),
      run(installation.jailerPath, ['--version']),
      run(installation.snapshotEditorPath, ['--version']),
    ]);
    // Firecracker also logs its exit on stdout, the log's default destination.
    expect(versions.map((result) => result.stdout)).toEqual([
      expect.stringMatching(
        /^Firecracker v1\.16\.1\n\n\S+ \[anonymous-instance:main\] Firecracker exiting successfully\. exit_code=0\n$/u,
      ),
      'Jailer v1.16.1\n\n',
      'snapshot-editor v1.16.1\n',
    ]);
  });

  it('is accepted as it is by new VmmInstallation and by its verify', async () => {
    const fakes = await createFakeInstallation(dir);
    const installation = new VmmInstallation(fakes);
    expect(fakes.dir).toBe(dir);
    expect(installation.firecrackerPath).toBe(path.join(dir, 'firecracker'));
    await expect(installation.verify('1.16.1')).resolves.toBeUndefined();
    await expect(installation.verify('1.15.0')).rejects.toMatchObject({
      code: 'ERR_BINARY_VERSION',
    });
  });

  it('exports the given switches in every wrapper', async () => {
    const installation = await createFakeInstallation(dir, {
      env: buildFakeEnv({ socketDelayMs: 7 }),
    });
    const script = await readFile(installation.jailerPath, 'utf8');
    expect(script.split('\n').slice(0, 2)).toEqual([
      '#!/bin/sh',
      "export KINDLING_FAKE_SOCKET_DELAY_MS='7'",
    ]);
  });

  it('rejects a variable name a shell could not export', async () => {
    const error = await createFakeInstallation(dir, { env: { 'BAD-NAME': 'x' } }).catch(
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(FakeVmmError);
    expect(error).toMatchObject({ code: 'ERR_FAKE_INVALID_OPTIONS' });
  });
});
