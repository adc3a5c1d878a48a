// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBin } from './support/run-bin.js';

let dir: string;
let execFile: string;
let base: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'kindling-jailer-cli-test-'));
  execFile = path.join(dir, 'firecracker');
  base = path.join(dir, 'jail');
  await writeFile(execFile, '#!/bin/sh\n');
  await chmod(execFile, 0o755);
  await mkdir(base);
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const BASE_FLAGS = (): Record<string, string> => ({
  '--id': 'cli-test',
  '--exec-file': execFile,
  '--uid': '0',
  '--gid': '0',
  '--chroot-base-dir': base,
});

// The jailer's flags with some replaced or added, and more arguments after them.
const args = (overrides: Record<string, string> = {}, extra: readonly string[] = []): string[] => [
  ...Object.entries({ ...BASE_FLAGS(), ...overrides }).flat(),
  ...extra,
];

interface FailureCase {
  readonly args: readonly string[];
  readonly display: string;
  readonly debug: string;
}

const runAll = (cases: readonly FailureCase[]) =>
  Promise.all(
    cases.map((entry) =>
      runBin('fake-jailer', entry.args, {
        env: { ...process.env, KINDLING_FAKE_CGROUP_ROOT: path.join(dir, 'cgroup') },
      }),
    ),
  );

const expectedRuns = (cases: readonly FailureCase[]) =>
  cases.map((entry) => ({
    code: 1,
    signal: null,
    stdout: '',
    stderr: `${entry.display}\nError: ${entry.debug}\n`,
  }));

describe('fake-jailer command line', () => {
  it('prints its version like the real jailer', async () => {
    const run = await runBin('fake-jailer', ['--bogus', '--version']);
    expect(run).toEqual({ code: 0, signal: null, stdout: 'Jailer v1.16.1\n\n', stderr: '' });
  });

  it('prints its help: required then optional arguments in name order', async () => {
    const run = await runBin('fake-jailer', ['--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(
      /^Jailer v1\.16\.1\n\nrequired arguments:\n {2}--exec-file <exec-file> {3}File path/u,
    );
    expect(run.stdout).toContain(
      '  --chroot-base-dir <chroot-base-dir>   The base folder where chroot jails are located. [default: "/srv/jailer"]',
    );
    expect(run.stdout).toMatch(
      /\n\nAny arguments after the -- separator will be supplied to the jailed binary\.\n\n$/u,
    );
  });

  it('rejects argument syntax errors with exit 1', async () => {
    const cases: FailureCase[] = [
      {
        args: [],
        display: "Failed to parse arguments: Argument 'exec-file' required, but not found.",
        debug: 'ArgumentParsing(MissingArgument("exec-file"))',
      },
      {
        args: ['--id=x'],
        display:
          "Failed to parse arguments: Found argument 'id=x' which wasn't expected, or isn't valid in this context.",
        debug: 'ArgumentParsing(UnexpectedArgument("id=x"))',
      },
      {
        args: args({}, ['--uid', '1']),
        display: "Failed to parse arguments: The argument 'uid' was provided more than once.",
        debug: 'ArgumentParsing(DuplicateArgument("uid"))',
      },
      {
        args: args({}, ['--netns']),
        display:
          "Failed to parse arguments: The argument 'netns' requires a value, but none was supplied.",
        debug: 'ArgumentParsing(MissingValue("netns"))',
      },
    ];
    expect(await runAll(cases)).toEqual(expectedRuns(cases));
  });

  it('rejects invalid values in the order the real jailer checks them', async () => {
    const missing = path.join(dir, 'missing');
    const enoent = 'No such file or directory (os error 2)';
    const enoentDebug = 'Os { code: 2, kind: NotFound, message: "No such file or directory" }';
    const cases: FailureCase[] = [
      {
        args: args({ '--id': 'bad_id' }),
        display: 'Invalid instance ID: Invalid char (_) at position 3',
        debug: "InvalidInstanceId(InvalidChar('_', 3))",
      },
      {
        args: args({ '--exec-file': missing }),
        display: `Failed to canonicalize path ${missing}: ${enoent}`,
        debug: `Canonicalize("${missing}", ${enoentDebug})`,
      },
      {
        args: args({ '--exec-file': base }),
        display: `${base} is not a file`,
        debug: `NotAFile("${base}")`,
      },
      {
        args: args({ '--chroot-base-dir': missing }),
        display: `Failed to canonicalize path ${missing}: ${enoent}`,
        debug: `Canonicalize("${missing}", ${enoentDebug})`,
      },
      {
        args: args({ '--chroot-base-dir': execFile }),
        display: `${execFile} is not a directory`,
        debug: `NotADirectory("${execFile}")`,
      },
      { args: args({ '--uid': 'root' }), display: 'Invalid uid: root', debug: 'Uid("root")' },
      { args: args({ '--gid': '-1' }), display: 'Invalid gid: -1', debug: 'Gid("-1")' },
      {
        args: args({ '--parent-cgroup': 'a/../b' }),
        display:
          "Parent cgroup path is invalid. Path should not be absolute or contain '..' or '.'",
        debug: 'CgroupInvalidParentPath',
      },
      {
        args: args({ '--cgroup-version': 'v2' }),
        display: 'v2 is an invalid cgroup version specifier',
        debug: 'CgroupInvalidVersion("v2")',
      },
      {
        args: args({ '--cgroup-version': '3' }, ['--cgroup', 'cpu.shares=1']),
        display: 'Hierarchy not found: No hierarchy found for this cgroup version.',
        debug: 'CgroupHierarchyMissing("No hierarchy found for this cgroup version.")',
      },
      {
        args: args({}, ['--cgroup', 'cpu.shares']),
        display: 'Invalid format for cgroups: cpu.shares',
        debug: 'CgroupFormat("cpu.shares")',
      },
      {
        args: args({}, ['--cgroup', '/cpu.shares=1']),
        display: 'Cgroup invalid file: /cpu.shares=1',
        debug: 'CgroupInvalidFile("/cpu.shares=1")',
      },
      {
        args: args({ '--cgroup-version': '2' }, ['--cgroup', 'blkio.weight=1']),
        display: 'Controller blkio is unavailable',
        debug: 'CgroupControllerUnavailable("blkio")',
      },
      {
        args: args({}, ['--resource-limit', 'no-file']),
        display: 'Invalid format for resources limits: no-file',
        debug: 'ResLimitFormat("no-file")',
      },
      {
        args: args({}, ['--resource-limit', 'no-file=']),
        display: 'Invalid limit value for resource: : cannot parse integer from empty string',
        debug: 'ResLimitValue("", "cannot parse integer from empty string")',
      },
      {
        args: args({}, ['--resource-limit', 'cores=1']),
        display: 'Invalid resource argument: cores',
        debug: 'ResLimitArgument("cores")',
      },
      {
        args: args({ '--id': 'netns-test', '--netns': missing }),
        display: `Failed to open file ${missing}: ${enoent}`,
        debug: `FileOpen("${missing}", ${enoentDebug})`,
      },
    ];
    expect(await runAll(cases)).toEqual(expectedRuns(cases));
  });
});
