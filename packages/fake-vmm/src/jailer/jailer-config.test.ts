// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { JAILER_FLAGS } from '@kindling/vmm-core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseArguments } from './arg-parser.js';
import { resolveJailerConfig } from './jailer-config.js';
import { JailerError } from './jailer-error.js';

let dir: string;
let execFile: string;
let base: string;

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'kindling-jailer-config-test-'));
  execFile = path.join(dir, 'firecracker-v1');
  base = path.join(dir, 'base');
  await writeFile(execFile, '');
  await mkdir(base);
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const host = () => ({
  cgroupRoot: path.join(dir, 'cgroup'),
  procMisc: ' 60 device-mapper\n257 userfaultfd\n',
});

const resolve = (overrides: Record<string, string> = {}, extra: readonly string[] = []) => {
  const flags = {
    '--id': 'vm-1',
    '--exec-file': execFile,
    '--uid': '123',
    '--gid': '456',
    '--chroot-base-dir': base,
    ...overrides,
  };
  const argv = [...Object.entries(flags).flat(), ...extra];
  const outcome = parseArguments(JAILER_FLAGS, argv);
  if (outcome.kind !== 'parsed') {
    throw new Error(`unexpected ${outcome.kind}`);
  }
  return resolveJailerConfig(outcome.arguments, host());
};

const failure = (overrides: Record<string, string>, extra: readonly string[] = []): JailerError => {
  try {
    resolve(overrides, extra);
  } catch (error) {
    if (error instanceof JailerError) {
      return error;
    }
    throw error;
  }
  throw new Error('expected a JailerError');
};

describe('resolveJailerConfig', () => {
  it('resolves the jail under the canonical exec name', async () => {
    const link = path.join(dir, 'fc-link');
    await symlink(execFile, link);
    const config = resolve({ '--exec-file': link }, ['--', '--level', 'Info']);
    expect(config).toMatchObject({
      id: 'vm-1',
      execFilePath: execFile,
      execFileName: 'firecracker-v1',
      chrootDir: path.join(base, 'firecracker-v1', 'vm-1', 'root'),
      uid: 123,
      gid: 456,
      daemonize: false,
      newPidNs: false,
      cgroups: undefined,
      resourceLimits: { fileSize: undefined, noFile: 2048n },
      userfaultfdMinor: 257,
      extraArgs: ['--level', 'Info'],
    });
  });

  it('reports each invalid value as the jailer does, Display and Debug', () => {
    expect(failure({ '--id': 'a_b' })).toMatchObject({
      message: 'Invalid instance ID: Invalid char (_) at position 1',
      debug: "InvalidInstanceId(InvalidChar('_', 1))",
    });
    expect(failure({ '--exec-file': path.join(dir, 'missing') })).toMatchObject({
      message: `Failed to canonicalize path ${path.join(dir, 'missing')}: No such file or directory (os error 2)`,
      debug: `Canonicalize("${path.join(dir, 'missing')}", Os { code: 2, kind: NotFound, message: "No such file or directory" })`,
    });
    expect(failure({ '--exec-file': base }).message).toBe(`${base} is not a file`);
    expect(failure({ '--chroot-base-dir': execFile }).message).toBe(
      `${execFile} is not a directory`,
    );
    expect(failure({ '--uid': '-1' })).toMatchObject({
      message: 'Invalid uid: -1',
      debug: 'Uid("-1")',
    });
    expect(failure({ '--gid': '4294967296' }).message).toBe('Invalid gid: 4294967296');
    expect(failure({ '--parent-cgroup': '../up' }).message).toBe(
      "Parent cgroup path is invalid. Path should not be absolute or contain '..' or '.'",
    );
    expect(failure({ '--parent-cgroup': '/abs' }).debug).toBe('CgroupInvalidParentPath');
    expect(failure({ '--cgroup-version': 'two' }).message).toBe(
      'two is an invalid cgroup version specifier',
    );
    expect(failure({}, ['--resource-limit', 'fsize']).message).toBe(
      'Invalid format for resources limits: fsize',
    );
    expect(failure({}, ['--resource-limit', 'fsize=big']).message).toBe(
      'Invalid limit value for resource: big: invalid digit found in string',
    );
    expect(failure({}, ['--resource-limit', 'cpu=1']).message).toBe(
      'Invalid resource argument: cpu',
    );
  });

  it('takes an exec file of any name, as the real v1.16.1 jailer does', async () => {
    const other = path.join(dir, 'qemu');
    await writeFile(other, '');
    expect(resolve({ '--exec-file': other }).chrootDir).toBe(
      path.join(dir, 'base', 'qemu', 'vm-1', 'root'),
    );
  });

  it('parses resource limits and the cgroup plan', () => {
    const config = resolve({}, [
      '--resource-limit',
      'fsize=1048576',
      '--resource-limit',
      'no-file=100',
      '--cgroup',
      'cpu.shares=10',
    ]);
    expect(config.resourceLimits).toEqual({ fileSize: 1_048_576n, noFile: 100n });
    expect(config.cgroups?.groups[0]?.location).toBe(
      path.join(dir, 'cgroup', 'cpu', 'firecracker-v1', 'vm-1'),
    );
  });
});
