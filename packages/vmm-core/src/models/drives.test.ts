// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { describe, expect, it } from 'vitest';
import { VmmCoreError } from '../errors.js';
import { parseWithSchema } from '../validation.js';
import { driveSchema, partialDriveSchema } from './drives.js';

const virtioBlock = { drive_id: 'rootfs', is_root_device: true, path_on_host: '/rootfs.ext4' };
const vhostUser = { drive_id: 'data', is_root_device: false, socket: '/run/vhost.sock' };
const limiter = { bandwidth: { size: 1000, refill_time: 100 } };

const messageOf = (value: unknown): string => {
  try {
    parseWithSchema(driveSchema, value, 'drive');
  } catch (error) {
    if (error instanceof VmmCoreError) {
      return error.message;
    }
    throw error;
  }
  throw new Error(`expected ${JSON.stringify(value)} to be rejected`);
};

describe('driveSchema', () => {
  it('accepts a virtio-block drive with every field of that kind', () => {
    const drive = {
      ...virtioBlock,
      partuuid: '0eaa91a0-01',
      cache_type: 'Writeback',
      is_read_only: true,
      rate_limiter: limiter,
      io_engine: 'Async',
    };
    expect(driveSchema.parse(drive)).toEqual(drive);
  });

  it('accepts a virtio-block drive without is_read_only (optional in the code)', () => {
    expect(driveSchema.parse(virtioBlock)).toEqual(virtioBlock);
  });

  it('accepts a vhost-user-block drive with the fields common to both kinds', () => {
    const drive = { ...vhostUser, cache_type: 'Unsafe', partuuid: 'abc' };
    expect(driveSchema.parse(drive)).toEqual(drive);
  });

  it('accepts a drive as GET /vm/config reports it, with null for unset options', () => {
    const reported = {
      ...vhostUser,
      partuuid: null,
      cache_type: 'Unsafe',
      is_read_only: null,
      path_on_host: null,
      rate_limiter: null,
      io_engine: null,
    };
    expect(driveSchema.safeParse(reported).success).toBe(true);
  });

  it('rejects socket together with path_on_host', () => {
    expect(messageOf({ ...virtioBlock, socket: '/run/vhost.sock' })).toBe(
      'drive.socket: must not be set together with path_on_host: a drive is either virtio-block (path_on_host) or vhost-user-block (socket), got "/run/vhost.sock"',
    );
  });

  it('rejects a drive with neither path_on_host nor socket', () => {
    expect(messageOf({ drive_id: 'x', is_root_device: false })).toMatch(
      /^drive\.path_on_host: is required unless socket is set: .*, got nothing$/u,
    );
  });

  it.each([
    ['is_read_only', false],
    ['rate_limiter', limiter],
    ['io_engine', 'Sync'],
  ])('rejects the virtio-block field %s on a vhost-user drive', (field, value) => {
    expect(messageOf({ ...vhostUser, [field]: value })).toContain(
      `drive.${field}: is a virtio-block field: a vhost-user-block drive (with socket) must not set it`,
    );
  });

  it('enforces the id rule on drive_id', () => {
    expect(messageOf({ ...virtioBlock, drive_id: 'root-fs' })).toContain(
      'drive.drive_id: must contain only Unicode letters, digits and "_"',
    );
    expect(driveSchema.safeParse({ ...virtioBlock, drive_id: 'disque_é' }).success).toBe(true);
  });

  it('accepts only the documented cache types and I/O engines', () => {
    expect(driveSchema.safeParse({ ...virtioBlock, cache_type: 'WriteBack' }).success).toBe(false);
    expect(driveSchema.safeParse({ ...virtioBlock, io_engine: 'Uring' }).success).toBe(false);
    expect(driveSchema.safeParse({ ...virtioBlock, io_engine: 'Sync' }).success).toBe(true);
  });

  it('rejects cache_type null, since it is a defaulted enum rather than an Option', () => {
    expect(driveSchema.safeParse({ ...virtioBlock, cache_type: null }).success).toBe(false);
  });

  it('requires drive_id and is_root_device', () => {
    expect(messageOf({ path_on_host: '/a' })).toContain('drive.drive_id: is required');
    expect(messageOf({ drive_id: 'a', path_on_host: '/a' })).toContain(
      'drive.is_root_device: is required: expected true or false, got nothing',
    );
  });

  it('rejects an unknown field, as BlockDeviceConfig denies unknown fields', () => {
    expect(messageOf({ ...virtioBlock, read_only: true })).toContain(
      'drive: unknown field "read_only": Firecracker rejects unknown fields in Drive',
    );
  });
});

describe('partialDriveSchema', () => {
  it('accepts an id alone (a vhost-user refresh), a new path, or a new rate limiter', () => {
    expect(partialDriveSchema.safeParse({ drive_id: 'data' }).success).toBe(true);
    expect(partialDriveSchema.safeParse({ drive_id: 'data', path_on_host: '/b' }).success).toBe(
      true,
    );
    expect(partialDriveSchema.safeParse({ drive_id: 'data', rate_limiter: limiter }).success).toBe(
      true,
    );
  });

  it('rejects fields a PATCH cannot change, and a hyphenated id', () => {
    expect(partialDriveSchema.safeParse({ drive_id: 'data', is_read_only: true }).success).toBe(
      false,
    );
    expect(partialDriveSchema.safeParse({ drive_id: 'da-ta' }).success).toBe(false);
  });
});
