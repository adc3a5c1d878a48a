// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { describe, expect, it } from 'vitest';
import { type ClapExit, parseSnapshotEditorArgs } from './clap-parser.js';

const REBASE_USAGE =
  'Usage: snapshot-editor edit-memory rebase --memory-path <MEMORY_PATH> --diff-path <DIFF_PATH>';

const exitOf = (argv: readonly string[]): ClapExit => {
  const outcome = parseSnapshotEditorArgs(argv);
  if (outcome.kind !== 'exit') {
    throw new Error(`expected clap to answer, got a ${outcome.kind}`);
  }
  return outcome;
};

describe('parseSnapshotEditorArgs', () => {
  it('accepts long, short, attached and = forms of a value', () => {
    for (const argv of [
      ['edit-memory', 'rebase', '--memory-path', 'base', '--diff-path', 'diff'],
      ['edit-memory', 'rebase', '-m', 'base', '-d', 'diff'],
      ['edit-memory', 'rebase', '--memory-path=base', '-ddiff'],
      ['edit-memory', 'rebase', '-m=base', '--diff-path', 'diff'],
    ]) {
      expect(parseSnapshotEditorArgs(argv)).toEqual({
        kind: 'run',
        path: ['edit-memory', 'rebase'],
        values: { memoryPath: 'base', diffPath: 'diff' },
      });
    }
    expect(parseSnapshotEditorArgs(['info-vmstate', 'vm-state', '-v', 'state'])).toEqual({
      kind: 'run',
      path: ['info-vmstate', 'vm-state'],
      values: { vmstatePath: 'state' },
    });
  });

  it('prints the version as clap does', () => {
    expect(parseSnapshotEditorArgs(['--version'])).toEqual({
      kind: 'exit',
      code: 0,
      stdout: 'snapshot-editor v1.16.1\n',
      stderr: '',
    });
    expect(parseSnapshotEditorArgs(['-V'])).toMatchObject({ stdout: 'snapshot-editor v1.16.1\n' });
  });

  it('prints help on stdout, and on stderr with exit 2 when a subcommand is missing', () => {
    const help = exitOf(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toBe(
      'Usage: snapshot-editor <COMMAND>\n\n' +
        'Commands:\n  edit-memory\n  info-vmstate\n' +
        '  help          Print this message or the help of the given subcommand(s)\n\n' +
        'Options:\n  -h, --help     Print help\n  -V, --version  Print version\n',
    );
    const missing = exitOf(['info-vmstate']);
    expect(missing).toMatchObject({ code: 2, stdout: '' });
    expect(missing.stderr).toContain('vm-state     Print readable MicroVM state');
    expect(exitOf(['help', 'edit-memory', 'rebase']).stdout).toBe(
      `Apply a diff snapshot on top of a base one\n\n${REBASE_USAGE}\n\nOptions:\n` +
        '  -m, --memory-path <MEMORY_PATH>  Path to the memory file\n' +
        '  -d, --diff-path <DIFF_PATH>      Path to the diff file\n' +
        '  -h, --help                       Print help\n',
    );
  });

  it('reports missing required arguments in declaration order', () => {
    expect(parseSnapshotEditorArgs(['edit-memory', 'rebase'])).toEqual({
      kind: 'exit',
      code: 2,
      stdout: '',
      stderr:
        'error: the following required arguments were not provided:\n' +
        '  --memory-path <MEMORY_PATH>\n  --diff-path <DIFF_PATH>\n\n' +
        `${REBASE_USAGE}\n\nFor more information, try '--help'.\n`,
    });
  });

  it('suggests a similar subcommand or argument', () => {
    expect(exitOf(['info-vmstat']).stderr).toBe(
      "error: unrecognized subcommand 'info-vmstat'\n\n" +
        "  tip: a similar subcommand exists: 'info-vmstate'\n\n" +
        "Usage: snapshot-editor <COMMAND>\n\nFor more information, try '--help'.\n",
    );
    expect(exitOf(['edit-memory', 'rebase', '--memory-pth', 'x']).stderr).toContain(
      "error: unexpected argument '--memory-pth' found\n\n  tip: a similar argument exists: '--memory-path'",
    );
  });

  it('rejects duplicates, stray words and a missing value', () => {
    expect(exitOf(['edit-memory', 'rebase', '-m', 'a', '-m', 'b']).stderr).toContain(
      "error: the argument '--memory-path <MEMORY_PATH>' cannot be used multiple times",
    );
    expect(exitOf(['info-vmstate', 'version', '-v', 's', 'extra']).stderr).toContain(
      "error: unexpected argument 'extra' found",
    );
    const empty = parseSnapshotEditorArgs(['edit-memory', 'rebase', '-d', 'x', '-m']);
    expect(empty).toMatchObject({
      code: 2,
      stderr:
        "error: a value is required for '--memory-path <MEMORY_PATH>' but none was supplied\n\n" +
        "For more information, try '--help'.\n",
    });
    expect(parseSnapshotEditorArgs(['edit-memory', '--version'])).toMatchObject({ code: 2 });
  });
});
