// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { constants } from 'node:fs';
import { chmod, chown, copyFile, type FileHandle, mkdir, open, rm } from 'node:fs/promises';
import path from 'node:path';
import type { Writable } from 'node:stream';
import type { ProcessSpawner } from '@kindling/spawner';
import { systemErrorFromMessage } from '../rust/io-error.js';
import type { JailerConfig } from './jailer-config.js';
import { jailerErrors } from './jailer-error.js';
import { runTool } from './run-tool.js';

/** A character device the jailer creates inside the jail. */
interface DeviceNode {
  readonly path: string;
  readonly major: number;
  readonly minor: number;
}

// Upstream creates these folders after chroot(2), so they and its errors use in-jail paths.
const JAIL_FOLDERS = ['/', '/dev', '/dev/net', '/run'];
const FOLDER_MODE = 0o700;
const DEVICE_MODE = 0o600;

/** How the jail is laid out on this host: device nodes need root, and `mknod(1)` to make them. */
export interface JailLayoutContext {
  readonly spawner: ProcessSpawner;
  readonly mknod: string;
  /** Whether real device nodes can be made; otherwise empty placeholder files stand in for them. */
  readonly canMknod: boolean;
  /** Where upstream's `println!` warnings go. */
  readonly stdout: Writable;
}

const inJail = (config: JailerConfig, jailPath: string): string =>
  path.join(config.chrootDir, jailPath);

/** Creates `<base>/<exec>/<id>/root` (and its parents) if missing, as upstream's `main` does. */
export const createChrootDir = async (config: JailerConfig): Promise<void> => {
  try {
    await mkdir(config.chrootDir, { recursive: true });
  } catch (error) {
    throw jailerErrors.createDir(config.chrootDir, error);
  }
};

/** Copies the exec file to `/<exec name>` in the jail (a copy, never a link) owned by uid:gid. */
export const copyExecFile = async (config: JailerConfig): Promise<void> => {
  const target = inJail(config, config.execFileName);
  try {
    await copyFile(config.execFilePath, target);
  } catch (error) {
    throw jailerErrors.copy(config.execFilePath, target, error);
  }
  try {
    await chown(target, config.uid, config.gid);
  } catch (error) {
    throw jailerErrors.changeFileOwner(target, error);
  }
};

/** Checks that `--netns` can be opened, as upstream does right before `setns(2)`. */
export const checkNetns = async (netns: string): Promise<void> => {
  try {
    const handle = await open(netns, constants.O_RDONLY);
    await handle.close();
  } catch (error) {
    throw jailerErrors.fileOpen(netns, error);
  }
};

/** Checks that /dev/null opens, which upstream does before it daemonizes. */
export const checkDevNull = async (): Promise<void> => {
  try {
    await (await open('/dev/null', 'r')).close();
  } catch (error) {
    throw jailerErrors.openDevNull(error);
  }
};

/** Creates `/`, `/dev`, `/dev/net` and `/run` in the jail with mode 0700, owned by uid:gid. */
export const setupJailFolders = async (config: JailerConfig): Promise<void> => {
  for (const folder of JAIL_FOLDERS) {
    const target = inJail(config, folder);
    try {
      await mkdir(target, { recursive: true });
    } catch (error) {
      throw jailerErrors.createDir(folder, error);
    }
    try {
      await chmod(target, FOLDER_MODE);
    } catch (error) {
      throw jailerErrors.chmod(folder, error);
    }
    try {
      await chown(target, config.uid, config.gid);
    } catch (error) {
      throw jailerErrors.changeFileOwner(folder, error);
    }
  }
};

const makeNode = async (
  context: JailLayoutContext,
  target: string,
  device: DeviceNode,
): Promise<void> => {
  if (!context.canMknod) {
    // Without root there is no mknod(2); an empty file keeps the layout and its EEXIST on reuse.
    const handle = await open(target, 'wx', DEVICE_MODE);
    await handle.close();
    return;
  }
  const result = await runTool(context.spawner, context.mknod, [
    '-m',
    DEVICE_MODE.toString(8),
    target,
    'c',
    String(device.major),
    String(device.minor),
  ]);
  if (result.code !== 0) {
    throw systemErrorFromMessage(result.stderr) ?? new Error(result.stderr.trim());
  }
};

const mknodAndOwn = async (
  config: JailerConfig,
  context: JailLayoutContext,
  device: DeviceNode,
): Promise<void> => {
  const target = inJail(config, device.path);
  try {
    await makeNode(context, target, device);
  } catch (error) {
    throw jailerErrors.mknodDev(device.path, error);
  }
  try {
    await chown(target, config.uid, config.gid);
  } catch (error) {
    throw jailerErrors.changeFileOwner(device.path, error);
  }
};

/**
 * Creates `/dev/net/tun` (10:200), `/dev/kvm` (10:232), `/dev/urandom` (1:9, only a warning when
 * it fails) and `/dev/userfaultfd` (10:minor, when the host has one), owned by uid:gid. A reused
 * jail fails here with EEXIST, as the real jailer does.
 */
export const createDeviceNodes = async (
  config: JailerConfig,
  context: JailLayoutContext,
): Promise<void> => {
  await mknodAndOwn(config, context, { path: '/dev/net/tun', major: 10, minor: 200 });
  await mknodAndOwn(config, context, { path: '/dev/kvm', major: 10, minor: 232 });
  try {
    await mknodAndOwn(config, context, { path: '/dev/urandom', major: 1, minor: 9 });
  } catch (error) {
    context.stdout.write(
      `Warning! Could not create /dev/urandom device inside jailer: ${(error as Error).message}.\n` +
        'MMDS version 2 will not be available to use.\n',
    );
  }
  if (config.userfaultfdMinor !== undefined) {
    await mknodAndOwn(config, context, {
      path: '/dev/userfaultfd',
      major: 10,
      minor: config.userfaultfdMinor,
    });
  }
};

/** The pid file, created exclusively before the pid it will hold is known. */
export interface PidFile {
  /** Writes the pid and closes the file. */
  write(pid: number): Promise<void>;
  /** Closes and removes the file, when the process it was for could not be started. */
  discard(): Promise<void>;
}

/** Creates `/<exec name>.pid` in the jail exclusively (upstream opens it with `create_new`). */
export const createPidFile = async (config: JailerConfig): Promise<PidFile> => {
  const jailPath = `/${config.execFileName}.pid`;
  const target = inJail(config, jailPath);
  let handle: FileHandle;
  try {
    handle = await open(target, 'wx');
  } catch (error) {
    throw jailerErrors.fileOpen(jailPath, error);
  }
  return {
    write: async (pid) => {
      try {
        await handle.write(String(pid));
      } catch (error) {
        throw jailerErrors.write(jailPath, error);
      } finally {
        await handle.close();
      }
    },
    discard: async () => {
      await handle.close();
      await rm(target, { force: true });
    },
  };
};
