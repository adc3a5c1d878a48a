// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

/** What the simulated kernel reports while booting. */
export interface BootLogInput {
  readonly commandLine: string;
  readonly vcpuCount: number;
  readonly memSizeMib: number;
  readonly driveIds: readonly string[];
  readonly netIfaceIds: readonly string[];
  readonly hasVsock: boolean;
  readonly hasInitrd: boolean;
}

const stamp = (seconds: number): string => `[${seconds.toFixed(6).padStart(12, ' ')}]`;

/** The lines of a Linux-like boot log, the boot marker excepted. */
export const formatBootLog = (input: BootLogInput): string[] => {
  const lines = [
    'Linux version 6.1.141 (kindling@fake-vmm) (gcc (GCC) 11.5.0, GNU ld 2.41) #1 SMP',
    `Command line: ${input.commandLine}`,
    "x86/fpu: Supporting XSAVE feature 0x001: 'x87 floating point registers'",
    `smpboot: Allowing ${input.vcpuCount} CPUs, 0 hotplug CPUs`,
    `Memory: ${input.memSizeMib * 1024 - 24_576}K/${input.memSizeMib * 1024}K available`,
    'Serial: 8250/16550 driver, 1 ports, IRQ sharing disabled',
    ...input.driveIds.map(
      (id, index) =>
        `virtio_blk virtio${index}: [vd${String.fromCodePoint(97 + index)}] (drive ${id})`,
    ),
    ...input.netIfaceIds.map(
      (id, index) => `virtio_net virtio${input.driveIds.length + index}: eth${index} (${id})`,
    ),
    ...(input.hasVsock ? ['NET: Registered PF_VSOCK protocol family'] : []),
    ...(input.hasInitrd ? ['Unpacking initramfs...'] : ['EXT4-fs (vda): mounted filesystem']),
    'Run /sbin/init as init process',
  ];
  return lines.map((line, index) => `${stamp(index * 0.031)} ${line}`);
};
