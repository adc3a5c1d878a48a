// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { Readable } from 'node:stream';
import {
  FrameType,
  type Frame,
  type MuxStream,
  type TransferResult,
} from '@kindling/exec-agent/protocol';
import { z } from 'zod';
import type { AgentLink } from './agent-link.js';
import { describeCall } from './call-failure.js';
import { ExecError, parseInput } from './errors.js';
import { openCall, type OpenCall } from './file-call.js';
import {
  callOptionsSchema,
  resolveFileCall,
  TRANSFER_TIMEOUT_MS,
  type FileCallOptions,
} from './file-options.js';
import { extractArchiveTo, packLocalPath, localPathSchema } from './local-archive.js';

const archiveSchema = z.instanceof(Readable, {
  error: 'expected a Readable stream of a tar archive',
});

const boundsOf = (options: FileCallOptions) => ({
  timeoutMs: options.timeoutMs ?? TRANSFER_TIMEOUT_MS,
  signal: options.signal,
});

// Tells the agent to drop the request (a push's partial upload is removed), then fails the call.
const abandon = (call: OpenCall, stream: MuxStream | undefined, error: Error): void => {
  stream?.sendJson(FrameType.ERROR, { code: 'ERR_EXEC_CONNECTION_CLOSED', message: error.message });
  call.abort(error);
};

/**
 * Writes a tar archive to the guest's `guestPath`: the entry `.` is the path itself (a file, or a
 * folder whose other entries are relative to it). Written beside the path and renamed over it at
 * the end, so a failed push leaves nothing behind. Resolves with what was written.
 */
export const pushStreamToGuest = async (
  link: AgentLink,
  archive: Readable,
  guestPath: string,
  options?: FileCallOptions,
): Promise<TransferResult> => {
  parseInput(archiveSchema, archive, 'archive');
  const { path, options: resolved } = resolveFileCall(callOptionsSchema, guestPath, options);
  const call = openCall(link, { op: 'push', path }, describeCall('push', path), boundsOf(resolved));
  let stream: MuxStream | undefined;
  const send = async (): Promise<void> => {
    stream = await call.stream;
    for await (const chunk of archive) {
      await stream.write(FrameType.DATA, chunk as Buffer);
    }
    stream.sendEof(FrameType.DATA);
  };
  const sending = send().catch((error: unknown) => {
    abandon(call, stream, error as Error);
  });
  try {
    const [result] = await Promise.all([call.result, sending]);
    return result as unknown as TransferResult;
  } finally {
    archive.destroy();
  }
};

// Follows a pull's call: its stream once open, then its RESULT (the archive ends) or failure.
const watchPull = async (
  call: OpenCall,
  output: Readable,
  on: { readonly opened: (stream: MuxStream) => void; readonly settled: () => void },
): Promise<void> => {
  try {
    on.opened(await call.stream);
    await call.result;
    on.settled();
    output.push(null);
  } catch (error) {
    on.settled();
    output.destroy(error as Error);
  }
};

/**
 * The guest's `guestPath` as a tar archive (entry `.` is the path itself), streamed with flow
 * control: a reader that stops holds at most one window in memory. The stream fails with the
 * call's error (`ERR_EXEC_NOT_FOUND`, `ERR_VM_ENDED`, …); destroying it abandons the pull.
 */
export const pullStreamFromGuest = (
  link: AgentLink,
  guestPath: string,
  options?: FileCallOptions,
): Readable => openPull(link, guestPath, options).archive;

// A pull's archive stream, and its RESULT (what was sent) once the agent has sent it all.
const openPull = (
  link: AgentLink,
  guestPath: string,
  options?: FileCallOptions,
): { readonly archive: Readable; readonly result: Promise<TransferResult> } => {
  const { path, options: resolved } = resolveFileCall(callOptionsSchema, guestPath, options);
  let stream: MuxStream | undefined;
  let pushed = 0;
  let credited = 0;
  const grant = (): void => {
    const consumed = pushed - output.readableLength - credited;
    if (consumed > 0 && stream !== undefined) {
      credited += consumed;
      stream.consumed(consumed);
    }
  };
  const output = new Readable({
    highWaterMark: 64 * 1024,
    // Node calls read before it takes the bytes read out of the buffer: count them after.
    read: () => process.nextTick(grant),
    destroy: (error, callback) => {
      if (!done) {
        abandon(
          call,
          stream,
          error ?? new ExecError('ERR_EXEC_CONNECTION_CLOSED', 'The pull was abandoned'),
        );
      }
      callback(error);
    },
  });
  let done = false;
  const call = openCall(
    link,
    { op: 'pull', path },
    describeCall('pull', path),
    boundsOf(resolved),
    (frame: Frame) => {
      if (frame.type === FrameType.DATA) {
        pushed += frame.payload.byteLength;
        output.push(frame.payload);
        grant();
      }
    },
  );
  void watchPull(call, output, {
    opened: (open) => {
      stream = open;
      grant();
    },
    settled: () => {
      done = true;
    },
  });
  return { archive: output, result: call.result as Promise<unknown> as Promise<TransferResult> };
};

/**
 * Copies a local file or folder (modes and mtimes kept; symlinks as links) to the guest's
 * `guestPath`, replacing what was there; see `pushStreamToGuest`.
 */
export const pushToGuest = async (
  link: AgentLink,
  localPath: string,
  guestPath: string,
  options?: FileCallOptions,
): Promise<TransferResult> => {
  const source = parseInput(localPathSchema, localPath, 'localPath');
  resolveFileCall(callOptionsSchema, guestPath, options);
  const archive = await packLocalPath(source);
  return pushStreamToGuest(link, archive, guestPath, options);
};

/**
 * Copies the guest's `guestPath` (a file or a folder) to `localPath`, replacing what was there:
 * extracted beside it and renamed into place, so a failed pull leaves nothing behind. Entries
 * that would land outside `localPath` are refused (`ERR_EXEC_TAR`, naming the entry).
 */
export const pullFromGuest = async (
  link: AgentLink,
  guestPath: string,
  localPath: string,
  options?: FileCallOptions,
): Promise<TransferResult> => {
  const target = parseInput(localPathSchema, localPath, 'localPath');
  const { archive, result } = openPull(link, guestPath, options);
  await extractArchiveTo(archive, target);
  return result;
};
