// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { ensurePrivateFolder } from '@kindling/helpers';
import { z } from 'zod';
import { CliError } from '../errors.js';
import type { StatePaths } from './state-paths.js';

const identity = z.strictObject({
  /** Its pid. */
  pid: z.number().int().positive(),
  /** Its start time in clock ticks since boot (/proc/<pid>/stat), so a reused pid is never taken for it. */
  startTime: z.number().int().nonnegative(),
});

const vmRecordSchema = z.strictObject({
  /** The VM's name on this host (`run --name`). */
  name: z.string(),
  /** Firecracker's id (`--id`). */
  id: z.string(),
  /** The Firecracker process. */
  vmm: identity,
  /** The kindling process that owns the VM: `run` itself, or the background one of --detach. */
  owner: identity,
  /** Whether `run --detach` started it. */
  detached: z.boolean(),
  /** Whether it runs under the jailer. */
  jailed: z.boolean(),
  /** The API socket as this host sees it. */
  socketPath: z.string(),
  /** The vsock device's socket as this host sees it, when the VM has one. */
  vsockPath: z.string().optional(),
  /** The folder (host paths) Firecracker's paths are relative to: `/`, or the jail's root. */
  rootPath: z.string(),
  /** The metrics file (host path). */
  metricsPath: z.string(),
  /** The serial console's copy (host path), which `kindling logs` reads. */
  serialPath: z.string(),
  /** Its vCPUs, when known. */
  vcpus: z.number().int().optional(),
  /** Its memory in MiB, when known. */
  memMib: z.number().int().optional(),
  /** What booted it: a kernel, a config file or a snapshot. */
  source: z.string(),
  /** Its network (`run --network`): the TAP, its namespace, and the addresses on the link. */
  network: z
    .strictObject({
      /** The TAP device's name. */
      tap: z.string(),
      /** The network namespace it runs in (`run --netns`). */
      netns: z.string().optional(),
      /** The guest's address (in a namespace: the same in every namespace). */
      guestAddress: z.string(),
      /** The guest's gateway: the TAP's address. */
      gateway: z.string(),
      /** The host's own address on the link. */
      hostAddress: z.string(),
      /** Where the host reaches the guest (in a namespace: the veth's NAT address). */
      reachableAddress: z.string(),
      /** The guest's MAC address. */
      guestMac: z.string(),
      /** The pool its /30 came from (`--pool`). */
      pool: z.string(),
      /** Whether the guest may reach the outside (`--egress`). */
      egress: z.boolean(),
    })
    .optional(),
  /** When it started (ISO 8601). */
  startedAt: z.string(),
});

/**
 * What the command records of a VM it started, in `<state>/vms/<name>/record.json`.
 *
 * @interface
 */
export type VmRecord = z.infer<typeof vmRecordSchema>;

const RECORD_FILE = 'record.json';

/** The folder of one VM's files. */
export const vmFolder = (paths: StatePaths, name: string): string => path.join(paths.vms, name);

/** Creates a VM's folder (private, like the whole state folder). */
export const createVmFolder = async (paths: StatePaths, name: string): Promise<string> => {
  await mkdir(paths.vms, { recursive: true, mode: 0o700 });
  const problem = await ensurePrivateFolder(paths.root);
  if (problem !== undefined) {
    throw new CliError(
      'ERR_HOST_NOT_READY',
      `The state folder ${paths.root} ${problem}: remove it, or set KINDLING_STATE_DIR to a folder of your own`,
    );
  }
  const folder = vmFolder(paths, name);
  await mkdir(folder, { recursive: true, mode: 0o700 });
  return folder;
};

/** Writes a VM's record atomically: a reader never sees half of one. */
export const writeVmRecord = async (paths: StatePaths, record: VmRecord): Promise<void> => {
  const file = path.join(vmFolder(paths, record.name), RECORD_FILE);
  const partial = `${file}.${process.pid}.tmp`;
  await writeFile(partial, `${JSON.stringify(record, null, 2)}\n`, { mode: 0o600 });
  await rename(partial, file);
};

/** Removes a VM's folder: its record, serial log and anything else the command put there. */
export const removeVmFolder = async (paths: StatePaths, name: string): Promise<void> => {
  await rm(vmFolder(paths, name), { recursive: true, force: true });
};

/** One VM's record, or undefined when there is none (or it is not one the command wrote). */
export const readVmRecord = async (
  paths: StatePaths,
  name: string,
): Promise<VmRecord | undefined> => {
  let text: string;
  try {
    text = await readFile(path.join(vmFolder(paths, name), RECORD_FILE), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      return undefined;
    }
    throw error;
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    // A torn or foreign file is not a record: `ls` and `reconcile` go on with the others.
    return undefined;
  }
  const parsed = vmRecordSchema.safeParse(json);
  return parsed.success ? parsed.data : undefined;
};

/** The names of every VM folder in the state folder, sorted. */
export const listVmNames = async (paths: StatePaths): Promise<string[]> => {
  try {
    return (await readdir(paths.vms)).toSorted();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      return [];
    }
    throw error;
  }
};

/** Every readable record in the state folder. */
export const readVmRecords = async (paths: StatePaths): Promise<VmRecord[]> => {
  const records: VmRecord[] = [];
  for (const name of await listVmNames(paths)) {
    const record = await readVmRecord(paths, name);
    if (record !== undefined) {
      records.push(record);
    }
  }
  return records;
};

/** A VM's record, or `ERR_VM_NOT_FOUND` saying how to list the others. */
export const requireVmRecord = async (paths: StatePaths, name: string): Promise<VmRecord> => {
  const record = await readVmRecord(paths, name);
  if (record === undefined) {
    throw new CliError(
      'ERR_VM_NOT_FOUND',
      `No VM named "${name}" in ${paths.vms}: \`kindling ls\` lists the VMs started on this host`,
    );
  }
  return record;
};
