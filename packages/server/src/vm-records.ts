// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { labelsSchema, vmIdSchema } from '@kindling/client';
import { readProcessStartTime } from '@kindling/executor';
import { z } from 'zod';
import type { VmHandle } from './vm-handle.js';

const vmRecordSchema = z.strictObject({
  id: vmIdSchema,
  createdAt: z.string(),
  labels: labelsSchema,
  source: z.enum(['config', 'config-file', 'snapshot']),
  jailed: z.boolean(),
  /** The Firecracker process, once started: pid, start time (so a reused pid is never taken). */
  process: z
    .strictObject({
      pid: z.int().positive(),
      startTime: z.int().nonnegative(),
      apiSocket: z.string(),
    })
    .optional(),
});

/**
 * What the server records of a VM in `<state>/vms/<id>/record.json`, to find it again after a
 * restart; the VM's `VmmProcess` records sit beside it in `processes/`.
 *
 * @interface
 */
export type VmRecord = z.infer<typeof vmRecordSchema>;

const RECORD_FILE = 'record.json';

/** Where one server keeps its VMs' records and files. */
export class VmRecords {
  readonly dir: string;

  constructor(stateDir: string) {
    this.dir = path.join(stateDir, 'vms');
  }

  folderOf(id: string): string {
    return path.join(this.dir, id);
  }

  /** The folder `reconcile()` reads the VM's `VmmProcess` records from. */
  processesOf(id: string): string {
    return path.join(this.dir, id, 'processes');
  }

  async create(id: string): Promise<string> {
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
    const folder = this.folderOf(id);
    await mkdir(folder, { mode: 0o700 });
    return folder;
  }

  /** Writes a record atomically: a reader (the next server) never sees half of one. */
  async write(record: VmRecord): Promise<void> {
    const file = path.join(this.folderOf(record.id), RECORD_FILE);
    const partial = `${file}.${process.pid}.tmp`;
    await writeFile(partial, `${JSON.stringify(record, null, 2)}\n`, { mode: 0o600 });
    await rename(partial, file);
  }

  /** A fresh id for a VM the caller did not name. */
  newId(): string {
    return `vm-${randomBytes(6).toString('hex')}`;
  }

  /** Adds a started VM's process (pid, start time, API socket) to its record. */
  async recordProcess(record: VmRecord, handle: VmHandle): Promise<void> {
    const pid = handle.pid;
    const startTime = pid === undefined ? undefined : await readProcessStartTime(pid);
    if (pid !== undefined && startTime !== undefined && handle.apiSocket !== undefined) {
      record.process = { pid, startTime, apiSocket: handle.apiSocket };
      await this.write(record);
    }
  }

  async remove(id: string): Promise<void> {
    await rm(this.folderOf(id), { recursive: true, force: true });
  }

  /** Every folder's record; a folder whose record is missing or torn is `{ id, record: undefined }`. */
  async readAll(): Promise<{ id: string; record: VmRecord | undefined }[]> {
    let names: string[];
    try {
      names = (await readdir(this.dir)).toSorted();
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
        return [];
      }
      throw error;
    }
    return Promise.all(
      names.map(async (id) => {
        try {
          const text = await readFile(path.join(this.folderOf(id), RECORD_FILE), 'utf8');
          const parsed = vmRecordSchema.safeParse(JSON.parse(text));
          return { id, record: parsed.success ? parsed.data : undefined };
        } catch {
          // A folder left by a create that died before its record: cleaned up like a dead VM.
          return { id, record: undefined };
        }
      }),
    );
  }
}
