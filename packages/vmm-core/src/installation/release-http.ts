// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import type { Dispatcher } from 'undici';
import { VmmCoreError } from '../errors.js';
import { parseChecksumFile } from './release-checksum.js';

/** How far a download has come; `totalBytes` is absent when the server sent no length. */
export interface DownloadProgress {
  readonly receivedBytes: number;
  readonly totalBytes?: number;
}

/** What every request of a download shares. */
export interface ReleaseRequestContext {
  readonly dispatcher: Dispatcher;
  readonly signal: AbortSignal;
}

const MAX_CHECKSUM_FILE_BYTES = 4096;
// Errors that mean the network, not the server, failed: most often an offline machine.
const NETWORK_ERROR_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'ETIMEDOUT',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_SOCKET',
]);

const findErrorCode = (error: unknown): string | undefined => {
  for (let current = error; current instanceof Error; current = current.cause) {
    if ('code' in current && typeof current.code === 'string') {
      return current.code;
    }
  }
  return undefined;
};

// Fails with ERR_DOWNLOAD_FAILED for anything but a 200, after discarding the body.
const get = async (
  url: string,
  context: ReleaseRequestContext,
): Promise<Dispatcher.ResponseData> => {
  let response: Dispatcher.ResponseData;
  try {
    // undici is loaded for a download only: importing this package must not cost its memory.
    const { request } = await import('undici');
    response = await request(url, { dispatcher: context.dispatcher, signal: context.signal });
  } catch (error) {
    context.signal.throwIfAborted();
    const code = findErrorCode(error);
    const hint =
      code !== undefined && NETWORK_ERROR_CODES.has(code)
        ? 'is this machine offline or behind a proxy? Pass a proxy `dispatcher`, or fetch the release yourself and use new VmmInstallation({ … })'
        : 'check the base URL';
    throw new VmmCoreError(
      'ERR_DOWNLOAD_FAILED',
      `Could not download ${url} (${code ?? 'error'}: ${error instanceof Error ? error.message : String(error)}): ${hint}.`,
      { cause: error },
    );
  }
  if (response.statusCode !== 200) {
    await response.body.dump();
    throw new VmmCoreError(
      'ERR_DOWNLOAD_FAILED',
      `Could not download ${url}: the server answered HTTP ${response.statusCode}${response.statusCode === 404 ? ': is this a Firecracker release with a build for this architecture?' : '.'}`,
    );
  }
  return response;
};

/** Fetches a `.sha256.txt` and returns the SHA-256 it gives for `fileName`. */
export const fetchChecksum = async (
  url: string,
  fileName: string,
  context: ReleaseRequestContext,
): Promise<string> => {
  const response = await get(url, context);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of response.body) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > MAX_CHECKSUM_FILE_BYTES) {
      response.body.destroy();
      throw new VmmCoreError(
        'ERR_DOWNLOAD_FAILED',
        `The checksum file ${url} is larger than ${MAX_CHECKSUM_FILE_BYTES} bytes: check the base URL.`,
      );
    }
    chunks.push(buffer);
  }
  return parseChecksumFile(Buffer.concat(chunks).toString('utf8'), fileName, url);
};

/** Streams a URL into a new file, reporting progress, and returns the SHA-256 of what it wrote. */
export const fetchToFile = async (
  url: string,
  destination: string,
  onProgress: ((progress: DownloadProgress) => void) | undefined,
  context: ReleaseRequestContext,
): Promise<string> => {
  const response = await get(url, context);
  const length = Number(response.headers['content-length']);
  const totalBytes = Number.isSafeInteger(length) ? length : undefined;
  const hash = createHash('sha256');
  let receivedBytes = 0;
  await pipeline(
    response.body,
    async function* measure(source: AsyncIterable<Buffer>) {
      for await (const chunk of source) {
        hash.update(chunk);
        receivedBytes += chunk.length;
        onProgress?.(totalBytes === undefined ? { receivedBytes } : { receivedBytes, totalBytes });
        yield chunk;
      }
    },
    createWriteStream(destination, { flags: 'wx' }),
    { signal: context.signal },
  );
  return hash.digest('hex');
};
