// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { describe, expect, it } from 'vitest';
import { resolveFlatVirtualPath, resolveInJail } from './virtual-path-resolver.js';

describe('resolveFlatVirtualPath', () => {
  it('places a file at the root of the jail under its own name', () => {
    expect(resolveFlatVirtualPath('/images/vm-1/rootfs.ext4')).toBe('/rootfs.ext4');
    expect(resolveFlatVirtualPath('relative/vmlinux')).toBe('/vmlinux');
  });

  it('refuses a path with no file name', () => {
    expect(() => resolveFlatVirtualPath('/')).toThrow(
      expect.objectContaining({ code: 'ERR_VIRTUAL_PATH' }),
    );
    expect(() => resolveFlatVirtualPath('/images/..')).toThrow(/no file name/u);
  });
});

describe('resolveInJail', () => {
  it('joins a virtual path onto the jail root', () => {
    expect(resolveInJail('/srv/jailer/firecracker/a/root', '/disks/rootfs.ext4')).toBe(
      '/srv/jailer/firecracker/a/root/disks/rootfs.ext4',
    );
  });

  it('keeps a path with ".." inside the jail', () => {
    expect(resolveInJail('/jail/root', '/../../etc/passwd')).toBe('/jail/root/etc/passwd');
  });

  it('refuses a relative path or the root itself', () => {
    expect(() => resolveInJail('/jail/root', 'rootfs.ext4')).toThrow(
      expect.objectContaining({ code: 'ERR_VIRTUAL_PATH' }),
    );
    expect(() => resolveInJail('/jail/root', '/..')).toThrow(/absolute file path/u);
  });
});
