// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { open } from 'node:fs/promises';

const ELF_MAGIC = Buffer.from([0x7f, 0x45, 0x4c, 0x46]);
const HEADER_BYTES = 20;
// ELF e_machine values of the two architectures Firecracker supports.
const MACHINES: Readonly<Record<number, string>> = { 0x3e: 'x86_64', 0xb7: 'aarch64' };
const NODE_ARCHES: Readonly<Record<string, { readonly name: string; readonly machine: number }>> = {
  x64: { name: 'x86_64', machine: 0x3e },
  arm64: { name: 'aarch64', machine: 0xb7 },
};

/**
 * Says why a file cannot run on this machine judging by its first bytes, or `undefined` when it
 * looks runnable (or cannot be read, which the spawn will judge). The kernel refuses such files
 * with ENOEXEC, and glibc's execvp then hands them to /bin/sh, which fails with a confusing
 * "Syntax error": this check names the real cause first.
 */
export const findExecutableFormatProblem = async (
  filePath: string,
  nodeArch: string = process.arch,
): Promise<string | undefined> => {
  let header: Buffer;
  try {
    await using file = await open(filePath, 'r');
    const { buffer, bytesRead } = await file.read(Buffer.alloc(HEADER_BYTES), 0, HEADER_BYTES, 0);
    header = buffer.subarray(0, bytesRead);
  } catch {
    // Unreadable but executable (e.g. mode 0711 and an elevated spawner): let the spawn decide.
    return undefined;
  }
  if (header.subarray(0, 2).toString('latin1') === '#!') {
    return undefined;
  }
  if (!header.subarray(0, 4).equals(ELF_MAGIC) || header.length < HEADER_BYTES) {
    return 'is neither an ELF binary nor a script';
  }
  const machineCode = header[5] === 2 ? header.readUInt16BE(18) : header.readUInt16LE(18);
  const thisMachine = NODE_ARCHES[nodeArch];
  if (thisMachine === undefined || machineCode === thisMachine.machine) {
    return undefined;
  }
  const machine = MACHINES[machineCode] ?? `ELF machine 0x${machineCode.toString(16)}`;
  return `is built for ${machine} and this machine is ${thisMachine.name}`;
};
