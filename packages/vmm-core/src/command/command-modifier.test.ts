// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { describe, expect, it } from 'vitest';
import { applyCommandModifiers, type Command, type CommandModifier } from './command-modifier.js';
import { DEFAULT_IPROUTE2_PATH, NetnsModifier } from './netns-modifier.js';
import { catchVmmCoreError } from '../../test/support/catch-vmm-core-error.js';

const firecracker: Command = {
  binary: '/usr/bin/firecracker',
  args: ['--api-sock', '/tmp/fc.sock', '--id', 'vm-1'],
};

describe('NetnsModifier', () => {
  it('wraps a command in `ip netns exec <ns>` with the default ip path', () => {
    expect(new NetnsModifier({ netns: 'kindling-1' }).apply(firecracker)).toEqual({
      binary: DEFAULT_IPROUTE2_PATH,
      args: [
        'netns',
        'exec',
        'kindling-1',
        '/usr/bin/firecracker',
        '--api-sock',
        '/tmp/fc.sock',
        '--id',
        'vm-1',
      ],
    });
    expect(DEFAULT_IPROUTE2_PATH).toBe('/usr/sbin/ip');
  });

  it('uses a custom iproute2 path and leaves the input command unchanged', () => {
    const before = structuredClone(firecracker);
    const result = new NetnsModifier({ netns: 'ns', iproute2Path: '/bin/ip' }).apply(firecracker);
    expect(result.binary).toBe('/bin/ip');
    expect(result.args.slice(0, 4)).toEqual(['netns', 'exec', 'ns', '/usr/bin/firecracker']);
    expect(firecracker).toEqual(before);
  });

  it.each([
    ['an empty name', '', /netnsModifier\.netns: must be 1 to 254 bytes.*got ""/u],
    ['a name with a slash', 'a/b', /netnsModifier\.netns: .*no "\/".*got "a\/b"/u],
    ['"."', '.', /netnsModifier\.netns: .*not "\." or "\.\.".*got "\."/u],
    ['".."', '..', /got "\.\."/u],
    ['a 255-byte name', 'n'.repeat(255), /must be 1 to 254 bytes/u],
    ['a NUL', 'a\0b', /NUL/u],
  ])('rejects %s', (_name, netns, pattern) => {
    const error = catchVmmCoreError(() => new NetnsModifier({ netns }));
    expect(error.code).toBe('ERR_INVALID_INPUT');
    expect(error.message).toMatch(pattern);
  });

  it('rejects a relative iproute2 path and unknown options', () => {
    expect(
      catchVmmCoreError(() => new NetnsModifier({ netns: 'ns', iproute2Path: 'ip' })).message,
    ).toMatch(/netnsModifier\.iproute2Path: must be an absolute path.*got "ip"/u);
    expect(
      catchVmmCoreError(() => new NetnsModifier({ netns: 'ns', path: '/x' } as never)).message,
    ).toMatch(/^netnsModifier\.path: unknown key; the keys here are /u);
  });
});

describe('applyCommandModifiers', () => {
  it('applies modifiers in order, the last one outermost', () => {
    const sudo: CommandModifier = {
      apply: (command) => ({ binary: '/usr/bin/sudo', args: [command.binary, ...command.args] }),
    };
    const result = applyCommandModifiers(firecracker, [new NetnsModifier({ netns: 'ns' }), sudo]);
    expect(result.binary).toBe('/usr/bin/sudo');
    expect(result.args.slice(0, 5)).toEqual([
      '/usr/sbin/ip',
      'netns',
      'exec',
      'ns',
      '/usr/bin/firecracker',
    ]);
  });

  it('returns the command itself when there is no modifier', () => {
    expect(applyCommandModifiers(firecracker, [])).toBe(firecracker);
  });
});
