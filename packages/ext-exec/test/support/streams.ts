// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import type { Readable } from 'node:stream';
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
