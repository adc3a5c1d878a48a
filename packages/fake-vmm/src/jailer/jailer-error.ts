// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { KindlingError } from '@kindling/spawner';
import { describeIoError } from '../rust/io-error.js';
import { formatRustString } from '../rust/debug-format.js';

/**
 * A failure of the fake jailer, carrying the two lines the real jailer prints for it: its
 * `Display` text as `message`, and its Rust `Debug` form, which `main` returning `Err` prints as
 * `Error: …`.
 */
export class JailerError extends KindlingError<'ERR_JAILER'> {
  static {
    this.prototype.name = 'JailerError';
  }

  /** The variant as Rust's derived `Debug` prints it, e.g. `Uid("x")`. */
  readonly debug: string;

  constructor(message: string, debug: string, options?: ErrorOptions) {
    super('ERR_JAILER', message, options);
    this.debug = debug;
  }
}

const str = formatRustString;

// Upstream formats these messages with `{:?}` and then strips every double quote.
const unquoted = (text: string): string => text.replaceAll('"', '');

const withIo = (
  variant: string,
  display: (io: string) => string,
  debugArgs: readonly string[],
  cause: unknown,
): JailerError => {
  const io = describeIoError(cause);
  return new JailerError(
    display(io.display),
    `${variant}(${[...debugArgs, io.debug].join(', ')})`,
    {
      cause,
    },
  );
};

/** The jailer's error variants that the fake can hit, by upstream name. */
export const jailerErrors = {
  argumentParsing: (display: string, debug: string): JailerError =>
    new JailerError(`Failed to parse arguments: ${display}`, `ArgumentParsing(${debug})`),
  canonicalize: (path: string, cause: unknown): JailerError =>
    withIo(
      'Canonicalize',
      (io) => unquoted(`Failed to canonicalize path ${path}: ${io}`),
      [str(path)],
      cause,
    ),
  notAFile: (path: string): JailerError =>
    new JailerError(unquoted(`${path} is not a file`), `NotAFile(${str(path)})`),
  notADirectory: (path: string): JailerError =>
    new JailerError(unquoted(`${path} is not a directory`), `NotADirectory(${str(path)})`),
  uid: (value: string): JailerError =>
    new JailerError(`Invalid uid: ${value}`, `Uid(${str(value)})`),
  gid: (value: string): JailerError =>
    new JailerError(`Invalid gid: ${value}`, `Gid(${str(value)})`),
  invalidInstanceId: (display: string, debug: string): JailerError =>
    new JailerError(`Invalid instance ID: ${display}`, `InvalidInstanceId(${debug})`),
  cgroupInvalidParentPath: (): JailerError =>
    new JailerError(
      "Parent cgroup path is invalid. Path should not be absolute or contain '..' or '.'",
      'CgroupInvalidParentPath',
    ),
  cgroupInvalidVersion: (value: string): JailerError =>
    new JailerError(
      `${value} is an invalid cgroup version specifier`,
      `CgroupInvalidVersion(${str(value)})`,
    ),
  cgroupFormat: (arg: string): JailerError =>
    new JailerError(`Invalid format for cgroups: ${arg}`, `CgroupFormat(${str(arg)})`),
  cgroupInvalidFile: (file: string): JailerError =>
    new JailerError(`Cgroup invalid file: ${file}`, `CgroupInvalidFile(${str(file)})`),
  cgroupHierarchyMissing: (what: string): JailerError =>
    new JailerError(`Hierarchy not found: ${what}`, `CgroupHierarchyMissing(${str(what)})`),
  cgroupControllerUnavailable: (controller: string): JailerError =>
    new JailerError(
      `Controller ${controller} is unavailable`,
      `CgroupControllerUnavailable(${str(controller)})`,
    ),
  cgroupInheritFromParent: (location: string, file: string): JailerError =>
    new JailerError(
      unquoted(`Failed to inherit cgroups configurations from file ${file} in path ${location}`),
      `CgroupInheritFromParent(${str(location)}, ${str(file)})`,
    ),
  cgroupWrite: (cause: unknown): JailerError =>
    withIo('CgroupWrite', (io) => `Failed to write to cgroups file: ${io}`, [], cause),
  resLimitArgument: (name: string): JailerError =>
    new JailerError(`Invalid resource argument: ${name}`, `ResLimitArgument(${str(name)})`),
  resLimitFormat: (arg: string): JailerError =>
    new JailerError(`Invalid format for resources limits: ${arg}`, `ResLimitFormat(${str(arg)})`),
  resLimitValue: (value: string, reason: string): JailerError =>
    new JailerError(
      `Invalid limit value for resource: ${value}: ${reason}`,
      `ResLimitValue(${str(value)}, ${str(reason)})`,
    ),
  setrlimit: (resource: string, cause: unknown): JailerError =>
    new JailerError(
      `Failed to set limit for resource: ${resource}`,
      `Setrlimit(${str(resource)})`,
      {
        cause,
      },
    ),
  createDir: (path: string, cause: unknown): JailerError =>
    withIo(
      'CreateDir',
      (io) => unquoted(`Failed to create directory ${path}: ${io}`),
      [str(path)],
      cause,
    ),
  copy: (from: string, to: string, cause: unknown): JailerError =>
    withIo(
      'Copy',
      (io) => unquoted(`Failed to copy ${from} to ${to}: ${io}`),
      [str(from), str(to)],
      cause,
    ),
  fileOpen: (path: string, cause: unknown): JailerError =>
    withIo('FileOpen', (io) => unquoted(`Failed to open file ${path}: ${io}`), [str(path)], cause),
  chmod: (path: string, cause: unknown): JailerError =>
    withIo('Chmod', (io) => `Failed to change permissions on ${path}: ${io}`, [str(path)], cause),
  changeFileOwner: (path: string, cause: unknown): JailerError =>
    withIo(
      'ChangeFileOwner',
      (io) => `Failed to change owner for ${path}: ${io}`,
      [str(path)],
      cause,
    ),
  mknodDev: (device: string, cause: unknown): JailerError => {
    const io = describeIoError(cause);
    return new JailerError(
      `Failed to create ${device} via mknod inside the jail: ${io.display}`,
      `MknodDev(${io.debug}, ${str(device)})`,
      { cause },
    );
  },
  write: (path: string, cause: unknown): JailerError =>
    withIo('Write', (io) => unquoted(`Failed to write to ${path}: ${io}`), [str(path)], cause),
  readToString: (path: string, cause: unknown): JailerError =>
    withIo(
      'ReadToString',
      (io) => unquoted(`Failed to read file ${path} into a string: ${io}`),
      [str(path)],
      cause,
    ),
  openDevNull: (cause: unknown): JailerError =>
    withIo('OpenDevNull', (io) => `Failed to open /dev/null: ${io}`, [], cause),
  exec: (cause: unknown): JailerError =>
    withIo('Exec', (io) => `Failed to exec into Firecracker: ${io}`, [], cause),
};
