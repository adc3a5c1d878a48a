// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import type { Server, Socket } from 'node:net';
import { VmApi } from './vm-api.js';
import type { VmCore } from './vm-core.js';
import {
  assertStdoutFree,
  closeSerialLines,
  waitForSerialLine,
  type SerialLineMatch,
  type SerialWaitOptions,
} from './vm-serial.js';
import { connectVmVsock, type VsockConnectOptions } from './vm-vsock.js';
import { closeVsockListeners, listenVmVsock, type VsockListenOptions } from './vsock-listen.js';

/**
 * What a `Vm` offers to talk with its guest, which every extension needs: a vsock connection
 * (Firecracker's `CONNECT`/`OK` handshake) and a wait for a line of the serial output.
 */
export class VmGuestIo extends VmApi {
  readonly #core: VmCore;

  /** Made by `Vm.prepare` and `Vm.restore`. */
  protected constructor(core: VmCore) {
    super(core);
    this.#core = core;
  }

  /**
   * Takes Firecracker's stdout (kept since start; the serial console by default); once, and not
   * after `vm.waitForSerialLine()` has read it.
   */
  override takeStdout(): ReturnType<VmApi['takeStdout']> {
    assertStdoutFree(this.#core);
    return super.takeStdout();
  }

  /**
   * Waits for a line of the guest's serial output that contains `match` (a string) or matches it
   * (a RegExp), and returns it without its line end. It reads the `serial.serial_out_path` file
   * or FIFO when one is configured, else Firecracker's stdout (then `vm.takeStdout()` cannot be
   * used as well); lines printed before the wait are seen too (a bounded tail of 256 KiB, and
   * what the source kept since start). Needs the process up for the first wait. Fails with
   * `ERR_WAIT_TIMEOUT` after `timeoutMs` (default 30 000 ms), `ERR_SERIAL_ENDED` when the
   * output ends first (Firecracker exited), `ERR_SERIAL_UNAVAILABLE` when there is none to read
   * (a daemonized jailer's stdout without a serial file), or the signal's reason.
   */
  waitForSerialLine(match: SerialLineMatch, options?: SerialWaitOptions): Promise<string> {
    return waitForSerialLine(this.#core, match, options);
  }

  /**
   * Opens a connection to a guest's vsock `port` through the VM's vsock socket (its path inside
   * the jail for a jailed VM): sends `CONNECT <port>\n`, reads Firecracker's `OK <host port>\n`,
   * and resolves with the connected socket, paused, with any bytes that came after the OK line
   * put back (`node:http2` reads the handle directly: hand it `Duplex.from(socket)` then). Needs
   * the VM `running`. Fails with `ERR_VSOCK_CLOSED` when Firecracker closes the connection (no
   * guest listener on the port yet), `ERR_VSOCK_HANDSHAKE` on another answer,
   * `ERR_VSOCK_CONNECT` when the socket cannot be reached, `ERR_WAIT_TIMEOUT` after `timeoutMs`
   * (default 10 000 ms), or the signal's reason; the connection is closed on every failure.
   */
  connectVsock(port: number, options?: VsockConnectOptions): Promise<Socket> {
    return connectVmVsock(this.#core, port, options);
  }

  /**
   * Listens for connections the guest opens to the host (CID 2) on vsock `port`: Firecracker
   * forwards each to `<uds_path>_<port>`, where the returned server listens (inside the jail
   * for a jailed VM, owned by the jail's user). Listen before the guest connects (for one that
   * connects at boot: `vm.start({ boot: false })`, listen, then `vm.boot()`); a path over the
   * 108 bytes of a socket address is bound through its folder (`server.address()` then shows
   * `/proc/self/fd/…`). Closing the server
   * stops listening; cleanup closes it and removes its socket. Fails with `ERR_VSOCK_LISTEN`
   * when the socket cannot be made (it is already listened on), `ERR_WRONG_STATE` without a
   * vsock device or after cleanup.
   */
  listenVsock(port: number, options?: VsockListenOptions): Promise<Server> {
    return listenVmVsock(this.#core, port, options);
  }

  /** Stops serial reads and vsock listeners, failing waits in progress; before cleanup. */
  protected async stopGuestIo(): Promise<void> {
    await closeSerialLines(this.#core);
    await closeVsockListeners(this.#core);
  }
}
