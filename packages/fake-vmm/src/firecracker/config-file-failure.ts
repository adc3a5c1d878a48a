// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { describeIoError, systemErrorFromMessage } from '../rust/io-error.js';
import { formatRustString } from '../rust/debug-format.js';

/** A `BuildFromJsonError`: its `Display` (for the log) and `Debug` (for stderr) forms. */
export interface BuildFromJsonFailure {
  readonly display: string;
  readonly debug: string;
}

// An API fault's prefix (VmmActionError), the prefix the same error has when it comes from a
// config file (ResourcesError), and the ResourcesError variant.
const SECTIONS: readonly (readonly [api: string, file: string, variant: string])[] = [
  ['Drive config error: ', 'Block device error: ', 'BlockDevice'],
  ['Network config error: ', 'Network device error: ', 'NetDevice'],
  ['Machine config error: ', 'VM config error: ', 'MachineConfig'],
  ['Vsock config error: ', 'Vsock device error: ', 'VsockDevice'],
  ['Balloon config error: ', 'Balloon device error: ', 'BalloonDevice'],
  ['Boot source error: ', 'Boot source error: ', 'BootSource'],
  ['Logger error: ', 'Logger error: ', 'Logger'],
  ['Metrics error: ', 'Metrics error: ', 'Metrics'],
  ['MMMDS config error: ', 'MMDS config error: ', 'MmdsConfig'],
  ['Entropy device error: ', 'Entropy device error: ', 'EntropyDevice'],
  ['Pmem config error: ', 'Pmem device error: ', 'PmemDevice'],
  ['Memory hotplug config error: ', 'Memory hotplug config error: ', 'MemoryHotplugConfig'],
];

const osDebug = (display: string): string => {
  const error = systemErrorFromMessage(display);
  return error === undefined ? formatRustString(display) : describeIoError(error).debug;
};

// The inner Debug forms the fake knows, keyed on the Display text after the section prefix.
const INNER_DEBUG: readonly (readonly [RegExp, (match: RegExpExecArray) => string])[] = [
  [
    /^Unable to create the virtio block device: Virtio backend error: Error manipulating the backing file: (.+\(os error \d+\)) (.*)$/su,
    (m) =>
      `CreateBlockDevice(VirtioBackend(BackingFile(${osDebug(m[1] ?? '')}, ${formatRustString(m[2] ?? '')})))`,
  ],
  [
    /^The kernel file cannot be opened: (.+)$/su,
    (m) => `InvalidKernelPath(${osDebug(m[1] ?? '')})`,
  ],
  [/^The number of vCPUs must be /u, () => 'InvalidVcpuCount'],
  [/^Amount of pages requested is too large\.$/u, () => 'TooManyPagesRequested'],
  [
    /^Could not create the network device: MTU (\d+) is out of range/u,
    (m) => `CreateNetworkDevice(InvalidMtu(${m[1] ?? ''}))`,
  ],
  [
    /^The list of network interface IDs provided contains at least one ID/u,
    () => 'InvalidNetworkInterfaceId',
  ],
  [
    /^Cannot create backend for vsock device: Error binding to the host-side Unix socket: (.+)$/su,
    (m) => `CreateVsockBackend(UnixBind(${osDebug(m[1] ?? '')}))`,
  ],
  [/^Failed to open target file: (.+)$/su, (m) => `LoggerUpdateError(${osDebug(m[1] ?? '')})`],
];

const KERNEL_LOADER_VARIANTS: Readonly<Record<string, string>> = {
  'Unable to read elf header': 'ReadElfHeader',
  'Invalid Elf magic number': 'InvalidElfMagicNumber',
  'Trying to load big-endian binary on little-endian machine': 'BigEndianElfOnLittle',
  'Invalid program header size': 'InvalidProgramHeaderSize',
  'Invalid program header offset': 'InvalidProgramHeaderOffset',
  'Invalid entry address': 'InvalidEntryAddress',
  'Unable to read program header': 'ReadProgramHeader',
  'Unable to read kernel image': 'ReadKernelImage',
};

const innerDebug = (text: string): string => {
  for (const [pattern, debug] of INNER_DEBUG) {
    const match = pattern.exec(text);
    if (match !== null) {
      return debug(match);
    }
  }
  // A case the fake has no Debug form for: the message, quoted.
  return formatRustString(text);
};

const START_MICROVM = 'Start microvm error: ';
const KERNEL_LOADER = /Kernel Loader: failed to load ELF kernel image: Kernel Loader: (.+)$/u;

/** `ParseFromJson(InvalidJson(…))`: the document (or a cpu template in it) is not valid JSON. */
export const invalidJsonFailure = (
  message: string,
  line: number,
  column: number,
): BuildFromJsonFailure => ({
  display: `Configuration for VMM from one single json failed: Invalid JSON: ${line === 0 ? message : `${message} at line ${line} column ${column}`}`,
  debug: `ParseFromJson(InvalidJson(Error(${formatRustString(message)}, line: ${line}, column: ${column})))`,
});

/** `ParseFromJson(File(…))`: a file the document names (a cpu template) cannot be read. */
export const fileFailure = (error: unknown): BuildFromJsonFailure => ({
  display: `Configuration for VMM from one single json failed: File operation error: ${describeIoError(error).display}`,
  debug: `ParseFromJson(File(${describeIoError(error).debug}))`,
});

/** The `BuildFromJsonError` for the fault an API request would have answered. */
export const configFileFailure = (fault: string): BuildFromJsonFailure => {
  if (fault.startsWith(START_MICROVM)) {
    const rest = fault.slice(START_MICROVM.length);
    const loader = KERNEL_LOADER.exec(rest);
    const variant = loader === null ? undefined : KERNEL_LOADER_VARIANTS[loader[1] ?? ''];
    return {
      display: `Could not Start MicroVM from one single json: ${rest}`,
      debug: `StartMicroVM(${variant === undefined ? formatRustString(rest) : `ConfigureSystem(KernelLoader(Elf(${variant})))`})`,
    };
  }
  const section = SECTIONS.find(([api]) => fault.startsWith(api));
  if (section === undefined) {
    return {
      display: `Configuration for VMM from one single json failed: ${fault}`,
      debug: `ParseFromJson(${formatRustString(fault)})`,
    };
  }
  const [api, file, variant] = section;
  const rest = fault.slice(api.length);
  return {
    display: `Configuration for VMM from one single json failed: ${file}${rest}`,
    debug: `ParseFromJson(${variant}(${innerDebug(rest)}))`,
  };
};
