// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import type { FileStat, ListResult } from '@kindling/exec-agent/protocol';
import type { AgentLink } from './agent-link.js';
import { describeCall } from './call-failure.js';
import { openCall } from './file-call.js';
import {
  callOptionsSchema,
  FILE_CALL_TIMEOUT_MS,
  mkdirOptionsSchema,
  removeOptionsSchema,
  resolveFileCall,
  type FileCallOptions,
  type MkdirOptions,
  type RemoveOptions,
} from './file-options.js';

export type { FileCallOptions, MkdirOptions, RemoveOptions } from './file-options.js';

const boundsOf = (options: FileCallOptions) => ({
  timeoutMs: options.timeoutMs ?? FILE_CALL_TIMEOUT_MS,
  signal: options.signal,
});

/** Describes a guest path without following a final symlink (`ERR_EXEC_NOT_FOUND` if none). */
export const statGuestPath = async (
  link: AgentLink,
  guestPath: string,
  options?: FileCallOptions,
): Promise<FileStat> => {
  const call = resolveFileCall(callOptionsSchema, guestPath, options);
  const { result } = openCall(
    link,
    { op: 'stat', path: call.path },
    describeCall('stat', call.path),
    boundsOf(call.options),
  );
  return (await result) as unknown as FileStat;
};

/** The entries of a guest folder, each described as `stat` does. */
export const listGuestFolder = async (
  link: AgentLink,
  guestPath: string,
  options?: FileCallOptions,
): Promise<readonly FileStat[]> => {
  const call = resolveFileCall(callOptionsSchema, guestPath, options);
  const { result } = openCall(
    link,
    { op: 'list', path: call.path },
    describeCall('list', call.path),
    boundsOf(call.options),
  );
  return ((await result) as unknown as ListResult).entries;
};

/** Removes a guest file or link, or a folder (empty, or any with `recursive`). */
export const removeGuestPath = async (
  link: AgentLink,
  guestPath: string,
  options?: RemoveOptions,
): Promise<void> => {
  const call = resolveFileCall(removeOptionsSchema, guestPath, options);
  const recursive = call.options.recursive;
  const { result } = openCall(
    link,
    { op: 'remove', path: call.path, ...(recursive === undefined ? {} : { recursive }) },
    describeCall('remove', call.path),
    boundsOf(call.options),
  );
  await result;
};

/** Makes a guest folder (with `recursive`, its missing parents too). */
export const makeGuestFolder = async (
  link: AgentLink,
  guestPath: string,
  options?: MkdirOptions,
): Promise<void> => {
  const call = resolveFileCall(mkdirOptionsSchema, guestPath, options);
  const { recursive, mode } = call.options;
  const { result } = openCall(
    link,
    {
      op: 'mkdir',
      path: call.path,
      ...(recursive === undefined ? {} : { recursive }),
      ...(mode === undefined ? {} : { mode }),
    },
    describeCall('mkdir', call.path),
    boundsOf(call.options),
  );
  await result;
};
