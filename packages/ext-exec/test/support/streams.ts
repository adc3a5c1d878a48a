// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import type { Readable, Writable } from 'node:stream';
import type { Vm } from '@kindling/vm';
import type { ExecVm } from '../../src/index.js';

/** Everything a stream gives, as one string. */
export const readAll = async (stream: Readable): Promise<string> => {
  let text = '';
  for await (const chunk of stream) {
    text += String(chunk);
  }
  return text;
};

/** The VM, counting the vsock connections opened through it. */
export const countConnections = (vm: Vm): { vm: ExecVm; opened: () => number } => {
  let opened = 0;
  const counted: ExecVm = new Proxy(vm, {
    get: (target, key) => {
      if (key === 'connectVsock') {
        return (...args: Parameters<Vm['connectVsock']>) => {
          opened += 1;
          return target.connectVsock(...args);
        };
      }
      const value: unknown = Reflect.get(target, key, target);
      return typeof value === 'function' ? (value as () => unknown).bind(target) : value;
    },
  });
  return { vm: counted, opened: () => opened };
};

/**
 * Writes a line to a command each time it answers, until its output shows `wanted`: after it
 * printed `ready`, `act()` runs once (a resize) and the questions start. Resolves true when
 * `wanted` showed, false when the output ended first.
 */
export const askUntil = (
  child: { readonly stdin: Writable; readonly stdout: Readable },
  ready: string,
  act: () => void,
  wanted: string,
): Promise<boolean> =>
  new Promise<boolean>((resolve) => {
    let seen = '';
    let acted = false;
    child.stdout.setEncoding('utf8');
    const onData = (text: string): void => {
      seen += text;
      if (seen.includes(wanted)) {
        child.stdout.off('data', onData);
        resolve(true);
        return;
      }
      if (!acted && seen.includes(ready)) {
        acted = true;
        act();
      }
      if (acted && seen.endsWith('\n')) {
        child.stdin.write('size\n');
      }
    };
    child.stdout.on('data', onData);
    child.stdout.once('end', () => resolve(false));
  });

/**
 * Resolves once a paused stream holds `bytes` bytes (checked at each turn of the event loop),
 * rejects after `timeoutMs`.
 */
export const bufferedReaches = async (
  stream: Readable,
  bytes: number,
  timeoutMs: number,
): Promise<void> => {
  const deadline = Date.now() + timeoutMs;
  while (stream.readableLength < bytes) {
    if (Date.now() > deadline) {
      throw new Error(
        `the stream holds ${stream.readableLength} bytes, not ${bytes}, after ${timeoutMs} ms`,
      );
    }
    await new Promise((resolve) => {
      setImmediate(resolve);
    });
  }
};
