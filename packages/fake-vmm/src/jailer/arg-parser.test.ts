// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { JAILER_FLAGS } from '@kindling/vmm-core';
import { describe, expect, it } from 'vitest';
import { parseArguments } from './arg-parser.js';

const REQUIRED = ['--id', 'a', '--exec-file', '/x/firecracker', '--uid', '1', '--gid', '2'];

const parsedOf = (argv: readonly string[]) => {
  const outcome = parseArguments(JAILER_FLAGS, argv);
  if (outcome.kind !== 'parsed') {
    throw new Error(`expected arguments, got ${outcome.kind}`);
  }
  return outcome.arguments;
};

const errorOf = (argv: readonly string[]) => {
  const outcome = parseArguments(JAILER_FLAGS, argv);
  if (outcome.kind !== 'error') {
    throw new Error(`expected an error, got ${outcome.kind}`);
  }
  return outcome.error;
};

describe('parseArguments', () => {
  it('accepts every required flag and keeps the arguments after -- apart', () => {
    const parsed = parsedOf([...REQUIRED, '--daemonize', '--', '--level', 'Debug']);
    expect(parsed.values.get('exec-file')).toBe('/x/firecracker');
    expect(parsed.switches.has('daemonize')).toBe(true);
    expect(parsed.extraArgs).toEqual(['--level', 'Debug']);
  });

  it('collects repeatable flags in order', () => {
    const parsed = parsedOf([...REQUIRED, '--cgroup', 'cpu.shares=10', '--cgroup', 'memory.max=1']);
    expect(parsed.lists.get('cgroup')).toEqual(['cpu.shares=10', 'memory.max=1']);
  });

  it('short-circuits on --help, -h and --version before --, whatever else is there', () => {
    expect(parseArguments(JAILER_FLAGS, ['--bogus', '--help']).kind).toBe('help');
    expect(parseArguments(JAILER_FLAGS, ['-h']).kind).toBe('help');
    expect(parseArguments(JAILER_FLAGS, ['--id=x', '--version']).kind).toBe('version');
    expect(parseArguments(JAILER_FLAGS, [...REQUIRED, '--', '--version']).kind).toBe('parsed');
  });

  it('rejects --name=value as an unexpected argument named without its dashes', () => {
    expect(errorOf(['--id=a'])).toEqual({
      display: "Found argument 'id=a' which wasn't expected, or isn't valid in this context.",
      debug: 'UnexpectedArgument("id=a")',
    });
  });

  it('rejects a word that is not a flag, whole', () => {
    expect(errorOf([...REQUIRED, 'stray']).display).toBe(
      "Found argument 'stray' which wasn't expected, or isn't valid in this context.",
    );
  });

  it('rejects a flag given twice, and a value that starts with --', () => {
    expect(errorOf([...REQUIRED, '--id', 'b'])).toEqual({
      display: "The argument 'id' was provided more than once.",
      debug: 'DuplicateArgument("id")',
    });
    expect(errorOf(['--id', '--uid', '1'])).toEqual({
      display: "The argument 'id' requires a value, but none was supplied.",
      debug: 'MissingValue("id")',
    });
    expect(errorOf(['--netns'])).toMatchObject({ debug: 'MissingValue("netns")' });
  });

  it('reports the first missing required flag in name order', () => {
    expect(errorOf(['--uid', '1'])).toEqual({
      display: "Argument 'exec-file' required, but not found.",
      debug: 'MissingArgument("exec-file")',
    });
    expect(errorOf(['--exec-file', 'f', '--uid', '1']).display).toBe(
      "Argument 'gid' required, but not found.",
    );
    expect(errorOf(['--exec-file', 'f', '--gid', '1', '--uid', '1']).display).toBe(
      "Argument 'id' required, but not found.",
    );
  });
});
