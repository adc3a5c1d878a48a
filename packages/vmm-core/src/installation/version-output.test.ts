// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { describe, expect, it } from 'vitest';
import { firecrackerVersionSchema } from './release-version.js';
import { parseVersionOutput } from './version-output.js';

describe('parseVersionOutput', () => {
  it('reads the exact --version outputs of v1.16.1', () => {
    expect(parseVersionOutput('firecracker', 'Firecracker v1.16.1\n\n')).toBe('1.16.1');
    expect(parseVersionOutput('jailer', 'Jailer v1.16.1\n\n')).toBe('1.16.1');
    expect(parseVersionOutput('snapshot-editor', 'snapshot-editor v1.16.1\n')).toBe('1.16.1');
  });

  it('reads development builds', () => {
    expect(parseVersionOutput('firecracker', 'Firecracker v1.17.0-dev\n\n')).toBe('1.17.0-dev');
  });

  it('returns undefined for another binary or another program', () => {
    expect(parseVersionOutput('firecracker', 'Jailer v1.16.1\n\n')).toBeUndefined();
    expect(parseVersionOutput('jailer', 'Firecracker v1.16.1\n\n')).toBeUndefined();
    expect(parseVersionOutput('snapshot-editor', 'rebase-snap v1.16.1\n')).toBeUndefined();
    expect(parseVersionOutput('firecracker', 'ls (GNU coreutils) 9.4\n')).toBeUndefined();
    expect(parseVersionOutput('firecracker', '')).toBeUndefined();
    expect(parseVersionOutput('firecracker', 'x\nFirecracker v1.16.1\n')).toBeUndefined();
  });
});

describe('firecrackerVersionSchema', () => {
  it('accepts versions with or without the v and drops it', () => {
    expect(firecrackerVersionSchema.parse('1.16.1')).toBe('1.16.1');
    expect(firecrackerVersionSchema.parse('v1.16.1')).toBe('1.16.1');
    expect(firecrackerVersionSchema.parse('v1.17.0-dev')).toBe('1.17.0-dev');
  });

  it.each(['1.16', 'latest', 'v', '1.16.1 ', 'vv1.16.1'])('rejects %j', (value) => {
    expect(firecrackerVersionSchema.safeParse(value).success).toBe(false);
  });
});
