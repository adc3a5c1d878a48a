// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { describe, expect, it } from 'vitest';
import { VmmCoreError } from '../errors.js';
import { parseWithSchema } from '../validation.js';
import { snapshotCreateParamsSchema, snapshotLoadParamsSchema } from './snapshot.js';

const fileBackend = { backend_type: 'File', backend_path: '/snap/mem' };
const load = { snapshot_path: '/snap/state', mem_backend: fileBackend };

const loadMessageOf = (value: unknown): string => {
  try {
    parseWithSchema(snapshotLoadParamsSchema, value, 'snapshotLoad');
  } catch (error) {
    if (error instanceof VmmCoreError) {
      return error.message;
    }
    throw error;
  }
  throw new Error(`expected ${JSON.stringify(value)} to be rejected`);
};

describe('snapshotCreateParamsSchema', () => {
  it('accepts both paths, with or without a snapshot type', () => {
    const params = { snapshot_path: '/s', mem_file_path: '/m' };
    expect(snapshotCreateParamsSchema.parse(params)).toEqual(params);
    expect(snapshotCreateParamsSchema.safeParse({ ...params, snapshot_type: 'Diff' }).success).toBe(
      true,
    );
  });

  it('rejects an unknown snapshot type, a missing path and unknown fields', () => {
    const params = { snapshot_path: '/s', mem_file_path: '/m' };
    expect(snapshotCreateParamsSchema.safeParse({ ...params, snapshot_type: 'full' }).success).toBe(
      false,
    );
    expect(snapshotCreateParamsSchema.safeParse({ snapshot_path: '/s' }).success).toBe(false);
    expect(snapshotCreateParamsSchema.safeParse({ ...params, version: '1.0' }).success).toBe(false);
  });
});

describe('snapshotLoadParamsSchema', () => {
  it('accepts a File or Uffd backend, or the deprecated mem_file_path', () => {
    expect(snapshotLoadParamsSchema.parse(load)).toEqual(load);
    expect(
      snapshotLoadParamsSchema.safeParse({
        snapshot_path: '/s',
        mem_backend: { backend_type: 'Uffd', backend_path: '/uffd.sock' },
      }).success,
    ).toBe(true);
    expect(
      snapshotLoadParamsSchema.safeParse({ snapshot_path: '/s', mem_file_path: '/m' }).success,
    ).toBe(true);
  });

  it('accepts every optional field', () => {
    const full = {
      ...load,
      track_dirty_pages: true,
      enable_diff_snapshots: false,
      resume_vm: true,
      network_overrides: [{ iface_id: 'eth0', host_dev_name: 'tap7' }],
      vsock_override: { uds_path: '/new.sock' },
      clock_realtime: true,
    };
    expect(snapshotLoadParamsSchema.parse(full)).toEqual(full);
  });

  it('rejects mem_backend together with mem_file_path ("too many fields")', () => {
    expect(loadMessageOf({ ...load, mem_file_path: '/m' })).toContain(
      'snapshotLoad.mem_file_path: must not be set together with mem_backend',
    );
  });

  it('rejects neither mem_backend nor mem_file_path ("missing field")', () => {
    expect(loadMessageOf({ snapshot_path: '/s' })).toMatch(
      /^snapshotLoad\.mem_backend: is required unless mem_file_path is set .*missing field.*, got nothing$/u,
    );
    expect(
      loadMessageOf({ snapshot_path: '/s', mem_backend: null, mem_file_path: null }),
    ).toContain('is required unless mem_file_path is set');
  });

  it('rejects an unknown backend type and an unknown backend field', () => {
    expect(
      snapshotLoadParamsSchema.safeParse({
        ...load,
        mem_backend: { backend_type: 'Anon', backend_path: '/m' },
      }).success,
    ).toBe(false);
    expect(
      snapshotLoadParamsSchema.safeParse({ ...load, mem_backend: { ...fileBackend, size: 1 } })
        .success,
    ).toBe(false);
  });

  it('accepts huge_pages (newer than v1.16.1), with 2M only over Uffd', () => {
    expect(snapshotLoadParamsSchema.safeParse({ ...load, huge_pages: 'None' }).success).toBe(true);
    expect(loadMessageOf({ ...load, huge_pages: '2M' })).toContain(
      'snapshotLoad.huge_pages: can be "2M" only with a mem_backend of backend_type "Uffd"',
    );
    expect(
      snapshotLoadParamsSchema.safeParse({
        snapshot_path: '/s',
        mem_backend: { backend_type: 'Uffd', backend_path: '/u' },
        huge_pages: '2M',
      }).success,
    ).toBe(true);
  });

  it('drops unknown fields of the overrides, which Firecracker ignores, but not of the body', () => {
    const parsed = snapshotLoadParamsSchema.parse({
      ...load,
      network_overrides: [{ iface_id: 'eth0', host_dev_name: 'tap1', mac: 'x' }],
      vsock_override: { uds_path: '/v', cid: 4 },
    });
    expect(parsed.network_overrides).toEqual([{ iface_id: 'eth0', host_dev_name: 'tap1' }]);
    expect(parsed.vsock_override).toEqual({ uds_path: '/v' });
    expect(snapshotLoadParamsSchema.safeParse({ ...load, resume: true }).success).toBe(false);
  });

  it('applies the id rule to network override ids and refuses null for defaulted flags', () => {
    expect(
      snapshotLoadParamsSchema.safeParse({
        ...load,
        network_overrides: [{ iface_id: 'eth-0', host_dev_name: 'tap1' }],
      }).success,
    ).toBe(false);
    expect(snapshotLoadParamsSchema.safeParse({ ...load, resume_vm: null }).success).toBe(false);
  });
});
