// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { addAbortListener, once } from 'node:events';
import { chown, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { VmError, errorMessageOf } from './errors.js';
import { checkOptionObject, checkSignal } from './input-checks.js';
import { reachSocketPath } from './reachable-socket-path.js';
import type { VmCore } from './vm-core.js';
import { checkVsockPort, resolveVsockPath } from './vm-vsock.js';

/** What `vm.listenVsock()` takes. */
export interface VsockListenOptions {
  /** Aborting closes the listener (as `server.close()` does). */
  readonly signal?: AbortSignal;
}

// The listeners a VM made, by socket path, closed and removed before its cleanup.
const listeners = new WeakMap<VmCore, Map<string, Server>>();

/** See `vm.listenVsock`. */
export const listenVmVsock = async (
  core: VmCore,
  port: number,
  options: VsockListenOptions | undefined,
): Promise<Server> => {
  checkVsockPort(port);
  const signal = checkSignal(
    checkOptionObject(options ?? {}, ['signal'], 'options', 'ERR_INVALID_INPUT')['signal'],
    'options.signal',
  );
  signal?.throwIfAborted();
  const caller = `vm.listenVsock(${port})`;
  if (core.cleanedUp) {
    throw new VmError('ERR_WRONG_STATE', `${caller}: this VM was cleaned up: prepare a new Vm`);
  }
  // Firecracker forwards a guest's connection to host port P to `<uds_path>_P`.
  const socketPath = `${resolveVsockPath(core, caller)}_${port}`;
  const known = listeners.get(core) ?? new Map<string, Server>();
  listeners.set(core, known);
  if (known.get(socketPath)?.listening === true) {
    throw new VmError('ERR_VSOCK_LISTEN', `${caller}: this VM already listens on ${socketPath}`);
  }
  // The file of a listener that was closed stays: it is ours, and in the way.
  if (known.has(socketPath)) {
    await rm(socketPath, { force: true });
  }
  const server = createServer();
  try {
    // Named in the process's state record before it exists: should Node go down (or be killed)
    // while it listens, the socket goes with the VM's other files.
    await core.process.addExtraPaths([socketPath]);
    // bind(2) takes at most 108 bytes: a deep jail's path is bound through its folder's fd.
    await using reachable = await reachSocketPath(socketPath);
    server.listen(reachable.path);
    await once(server, 'listening');
    known.set(socketPath, server);
    const { ownership } = core.options;
    // A Firecracker that dropped to another user must be able to connect to it.
    if (ownership.kind === 'downgraded') {
      await chown(socketPath, ownership.uid, ownership.gid);
    }
  } catch (error) {
    server.close();
    throw new VmError(
      'ERR_VSOCK_LISTEN',
      `${caller}: could not listen on ${socketPath}: ${errorMessageOf(error)}`,
      { cause: error },
    );
  }
  if (signal !== undefined) {
    const onAbort = addAbortListener(signal, () => server.close());
    server.once('close', () => onAbort[Symbol.dispose]());
  }
  return server;
};

/** Closes the VM's vsock listeners and removes their sockets; before cleanup. */
export const closeVsockListeners = async (core: VmCore): Promise<void> => {
  const known = listeners.get(core);
  listeners.delete(core);
  for (const [socketPath, server] of known ?? []) {
    if (server.listening) {
      server.close();
      await once(server, 'close');
    }
    await rm(socketPath, { force: true });
  }
};
