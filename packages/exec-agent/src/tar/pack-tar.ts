// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { createReadStream } from 'node:fs';
import { lstat, readdir, readlink } from 'node:fs/promises';
import path from 'node:path';
import type { Stats } from 'node:fs';
import { ProtocolError } from '../protocol/protocol-error.js';
import { encodeEntryHeader, END_OF_ARCHIVE, paddingFor, type TarEntryType } from './tar-header.js';

/** A summary at zero, for `packTar` to count into. */
export const createPackSummary = (): PackSummary => ({ entries: 0, bytes: 0 });

/** What a pack moved. */
export interface PackSummary {
  entries: number;
  bytes: number;
}

const typeOf = (stats: Stats, name: string): TarEntryType => {
  if (stats.isFile()) {
    return 'file';
  }
  if (stats.isDirectory()) {
    return 'directory';
  }
  if (stats.isSymbolicLink()) {
    return 'symlink';
  }
  throw new ProtocolError(
    'ERR_EXEC_TAR',
    `${name} is neither a file, a folder nor a symlink: a device, socket or FIFO cannot be moved`,
  );
};

/**
 * A file or a folder as a tar archive, streamed: the entry `.` is `source` itself, a folder's
 * contents follow as `./a`, `./a/b` (sorted; symlinks stored, not followed). Modes and mtimes
 * are kept. `summary` counts what was packed.
 */
export async function* packTar(
  source: string,
  summary: PackSummary = createPackSummary(),
): AsyncGenerator<Buffer> {
  const pending: string[] = ['.'];
  while (pending.length > 0) {
    const name = pending.shift() ?? '.';
    const full = path.join(source, name);
    const stats = await lstat(full);
    const type = typeOf(stats, name);
    const linkTarget = type === 'symlink' ? await readlink(full) : undefined;
    const size = type === 'file' ? stats.size : 0;
    yield encodeEntryHeader({
      name,
      type,
      mode: stats.mode & 0o7777,
      size,
      mtimeMs: stats.mtimeMs,
      ...(linkTarget === undefined ? {} : { linkTarget }),
    });
    summary.entries += 1;
    if (type === 'file') {
      let sent = 0;
      // Read no more than the header announced, even if the file grows meanwhile.
      const reader =
        size === 0 ? [] : createReadStream(full, { end: size - 1, highWaterMark: 64 * 1024 });
      for await (const chunk of reader) {
        sent += (chunk as Buffer).byteLength;
        yield chunk as Buffer;
      }
      if (sent !== size) {
        throw new ProtocolError(
          'ERR_EXEC_TAR',
          `${name} changed size while it was packed (${size} bytes announced, ${sent} read): pack it again`,
        );
      }
      summary.bytes += size;
      yield paddingFor(size);
    } else if (type === 'directory') {
      const children = (await readdir(full)).toSorted();
      // Depth first keeps a folder's entries together, as tar does.
      pending.unshift(
        ...children.map((child) => (name === '.' ? `./${child}` : `${name}/${child}`)),
      );
    }
  }
  yield END_OF_ARCHIVE;
}
