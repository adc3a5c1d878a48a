// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { once } from 'node:events';
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { Duplex } from 'node:stream';
import type { FakeVsockServiceKind } from '../faults/env-switches.js';
import { closeKeepingSocketFile } from '../http/close-keeping-socket.js';
import { createExecService } from './services/exec-service.js';
import { createGrpcService } from './services/grpc-service.js';
import { createHttpService } from './services/http-service.js';

/** What the vsock device needs to know about the guest behind it. */
export interface VsockGuest {
  /** Resolves once the guest runs (booted, not paused); may never resolve. */
  waitUntilRunning(): Promise<void>;
  /** Whether the guest's userspace listeners are up (the boot log has reached its marker). */
  servicesReady(): boolean;
}

/** Counters the device reports (vsock metrics). */
export interface VsockCounters {
  onConnectionAdded(): void;
  onConnectionKilled(): void;
}

// Firecracker reads at least `b"connect 0\n".len()` bytes, then byte by byte up to 32 or `\n`.
const MIN_READ_LEN = 10;
const MAX_LINE_LEN = 32;
// Host-side ports of host-initiated connections are allocated upwards from 1 << 30.
const FIRST_HOST_PORT = 1 << 30;

/** Where the CONNECT line ends (exclusive), per Firecracker's read loop; undefined: read more. */
const findLineEnd = (buffer: Buffer): number | undefined => {
  if (buffer.length < MIN_READ_LEN) {
    return undefined;
  }
  const newline = buffer.subarray(MIN_READ_LEN - 1, MAX_LINE_LEN).indexOf(0x0a);
  if (newline !== -1) {
    return MIN_READ_LEN + newline;
  }
  return buffer.length >= MAX_LINE_LEN ? MAX_LINE_LEN : undefined;
};

/** Firecracker's `read_local_stream_port`: `connect <port>`, keyword case-insensitive. */
export const parseConnectLine = (line: Buffer): number | undefined => {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(line);
  } catch {
    return undefined;
  }
  const [keyword, portText] = text.split(/\s+/u).filter((word) => word !== '');
  if (
    keyword?.toLowerCase() !== 'connect' ||
    portText === undefined ||
    !/^\+?\d+$/u.test(portText)
  ) {
    return undefined;
  }
  const port = Number(portText);
  return port <= 0xffff_ffff ? port : undefined;
};

type Service = { serve: (socket: Duplex) => void; close: () => void };

/** The guest's vsock listeners: each port's kind, and how the exec agent answers. */
export interface VsockServices {
  readonly kinds: ReadonlyMap<number, FakeVsockServiceKind>;
  /** The protocol version the exec agent announces; its own when undefined. */
  readonly execProtocol: number | undefined;
}

/**
 * The host side of Firecracker's vsock device: a Unix socket at `uds_path` speaking the
 * `CONNECT <port>\n` → `OK <host_port>\n` handshake, guest services behind it, and connections the
 * guest initiates to `<uds_path>_<port>`.
 */
export class VsockDevice {
  readonly udsPath: string;
  private readonly server: Server;
  private readonly guest: VsockGuest;
  private readonly serviceKinds: ReadonlyMap<number, FakeVsockServiceKind>;
  private readonly execProtocol: number | undefined;
  private readonly counters: VsockCounters;
  private readonly services = new Map<number, Service>();
  private readonly connections = new Set<Socket>();
  private nextHostPort = FIRST_HOST_PORT;

  private constructor(
    udsPath: string,
    server: Server,
    guest: VsockGuest,
    services: VsockServices,
    counters: VsockCounters,
  ) {
    this.udsPath = udsPath;
    this.server = server;
    this.guest = guest;
    this.serviceKinds = services.kinds;
    this.execProtocol = services.execProtocol;
    this.counters = counters;
    server.on('connection', (socket) => this.accept(socket));
  }

  /** Binds `udsPath` (EADDRINUSE when it exists, as Firecracker's bind does). */
  static async bind(
    udsPath: string,
    guest: VsockGuest,
    services: VsockServices,
    counters: VsockCounters,
  ): Promise<VsockDevice> {
    const server = createServer({ pauseOnConnect: true });
    server.listen(udsPath);
    try {
      await once(server, 'listening');
    } catch (error) {
      server.close();
      throw error;
    }
    return new VsockDevice(udsPath, server, guest, services, counters);
  }

  private track(socket: Socket): void {
    this.connections.add(socket);
    socket.once('close', () => this.connections.delete(socket));
    socket.on('error', () => socket.destroy());
  }

  private accept(socket: Socket): void {
    this.track(socket);
    let buffer = Buffer.alloc(0);
    const onData = (chunk: Buffer): void => {
      buffer = Buffer.concat([buffer, chunk]);
      const end = findLineEnd(buffer);
      if (end === undefined) {
        return;
      }
      socket.off('data', onData);
      socket.pause();
      this.connect(socket, buffer.subarray(0, end), buffer.subarray(end));
    };
    // The muxer only reads host connections while the VMM event loop runs the booted guest.
    void this.guest.waitUntilRunning().then(() => {
      socket.on('data', onData);
      return socket.resume();
    });
  }

  private connect(socket: Socket, line: Buffer, rest: Buffer): void {
    const port = parseConnectLine(line);
    const kind = port === undefined ? undefined : this.serviceKinds.get(port);
    if (port === undefined || kind === undefined || !this.guest.servicesReady()) {
      // No guest listener: the guest answers RST and Firecracker closes the host connection.
      this.counters.onConnectionKilled();
      socket.destroy();
      return;
    }
    this.counters.onConnectionAdded();
    socket.write(`OK ${this.nextHostPort}\n`);
    this.nextHostPort += 1;
    const service = this.serviceFor(port, kind);
    if (kind === 'grpc' && rest.length === 0) {
      // HTTP/2 consumes the socket's handle natively: resuming the JS stream would compete with it.
      service.serve(socket);
      return;
    }
    if (rest.length > 0) {
      socket.unshift(rest);
    }
    // HTTP/2 would miss bytes already read into the JS stream: hand it a plain duplex instead.
    service.serve(kind === 'grpc' ? Duplex.from({ readable: socket, writable: socket }) : socket);
    socket.resume();
  }

  private serviceFor(port: number, kind: FakeVsockServiceKind): Service {
    const existing = this.services.get(port);
    if (existing !== undefined) {
      return existing;
    }
    const service: Service =
      kind === 'http'
        ? createHttpService(port)
        : kind === 'grpc'
          ? createGrpcService()
          : kind === 'exec'
            ? createExecService(this.execProtocol)
            : {
                serve: (socket) => {
                  socket.on('data', (chunk: Buffer) => socket.write(chunk));
                  socket.on('end', () => socket.end());
                },
                close: () => {
                  // Echo connections are closed with the device.
                },
              };
    this.services.set(port, service);
    return service;
  }

  /**
   * Opens a guest-initiated connection to `<uds_path>_<port>`: sends `payload` (if any) then
   * echoes what the host writes. A missing host listener is the guest's RST: nothing happens.
   */
  connectFromGuest(port: number, payload?: string): void {
    const socket = createConnection(`${this.udsPath}_${port}`);
    this.track(socket);
    socket.once('connect', () => {
      this.counters.onConnectionAdded();
      if (payload !== undefined) {
        socket.write(`${payload}\n`);
      }
      socket.on('data', (chunk: Buffer) => socket.write(chunk));
      socket.on('end', () => socket.end());
    });
  }

  /** Drops every open connection (a snapshot resets vsock; guest listeners survive). */
  dropConnections(): void {
    for (const socket of this.connections) {
      socket.destroy();
    }
  }

  /** Stops listening and drops every connection; the socket file stays, as with Firecracker. */
  async close(): Promise<void> {
    this.dropConnections();
    for (const service of this.services.values()) {
      service.close();
    }
    await closeKeepingSocketFile(this.server, this.udsPath);
  }
}
