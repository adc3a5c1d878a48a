// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import type { Duplex } from 'node:stream';
import { CONTROL_STREAM_ID } from './constants.js';
import { encodeFrame, encodeFrameHeader, FrameDecoder, type Frame } from './frame-codec.js';
import { FrameType, frameTypeName } from './frame-types.js';
import type { HelloMessage } from './messages.js';
import { MuxStream, type StreamHandler, type StreamLink } from './mux-stream.js';
import { parseErrorMessage, parseHello, parseJsonPayload } from './parse-messages.js';
import { ProtocolError } from './protocol-error.js';

// Below this, a payload is copied into its frame: a single small write costs less than two.
const COPY_LIMIT_BYTES = 16 * 1024;

/** How a multiplexed connection behaves. */
export interface MultiplexerOptions {
  /** The host opens streams (odd ids); the agent answers the streams the host opens. */
  readonly role: 'host' | 'agent';
  /** This side's HELLO, sent at once. */
  readonly hello: HelloMessage;
  /**
   * Agent side: the host opened a stream with OPEN (its payload is the request, not yet parsed).
   * Returns the handler of the stream's later frames.
   */
  readonly onOpen?: (stream: MuxStream, request: Buffer) => StreamHandler;
}

// The name of a side in messages.
const describeHello = (hello: HelloMessage, role: 'host' | 'agent'): string => {
  const version = role === 'agent' ? hello.agent : hello.host;
  const pkg = role === 'agent' ? '@kindling/exec-agent' : 'the host (@kindling/ext-exec)';
  return `${pkg}${version === undefined ? '' : ` ${version}`} speaks protocol ${hello.protocol}`;
};

/** The error both sides give when their protocol versions differ: both named, and the fix. */
export const describeVersionMismatch = (agent: HelloMessage, host: HelloMessage): string =>
  `Exec protocol mismatch: ${describeHello(agent, 'agent')} but ${describeHello(host, 'host')}: ` +
  `put the agent of the host's release in the guest image (@kindling/exec-agent of protocol ${host.protocol}), ` +
  `or use a host release that speaks protocol ${agent.protocol}`;

/**
 * One connection between a host and an agent carrying many streams: frames in and out, HELLO on
 * stream 0, per-stream flow control. Closing it (or losing the socket) closes every stream.
 */
export class Multiplexer {
  readonly #socket: Duplex;
  readonly #options: MultiplexerOptions;
  readonly #decoder = new FrameDecoder();
  readonly #streams = new Map<number, MuxStream>();
  readonly #link: StreamLink;
  #nextStreamId = 1;
  #closedBy: Error | undefined;
  #drained: Promise<void> | undefined;
  #remoteHello: HelloMessage | undefined;
  readonly #hello: PromiseWithResolvers<HelloMessage> = Promise.withResolvers();
  readonly #closed: PromiseWithResolvers<Error> = Promise.withResolvers();

  constructor(socket: Duplex, options: MultiplexerOptions) {
    this.#socket = socket;
    this.#options = options;
    // A caller that never awaits the peer's HELLO still learns of failures through `closed`.
    this.#hello.promise.catch(() => {});
    this.#link = {
      send: (type, streamId, payload) => this.#send(type, streamId, payload),
      release: (streamId) => this.#streams.delete(streamId),
      fail: (error) => this.close(error),
    };
    socket.on('data', (chunk: Buffer) => this.#receive(chunk));
    socket.on('error', (error) =>
      this.close(
        new ProtocolError(
          'ERR_EXEC_CONNECTION_CLOSED',
          `The exec connection failed: ${error.message}`,
          { cause: error },
        ),
      ),
    );
    socket.on('close', () => this.close());
    socket.on('end', () => this.close());
    void this.#send(
      FrameType.HELLO,
      CONTROL_STREAM_ID,
      Buffer.from(JSON.stringify(options.hello), 'utf8'),
    );
  }

  /** The peer's HELLO once it has arrived and its protocol matches; rejects otherwise. */
  get remoteHello(): Promise<HelloMessage> {
    return this.#hello.promise;
  }

  /** Resolves, with the reason, when the connection has closed. */
  get closed(): Promise<Error> {
    return this.#closed.promise;
  }

  /** Whether the connection has closed. */
  get isClosed(): boolean {
    return this.#closedBy !== undefined;
  }

  /** Streams open now. */
  get openStreams(): number {
    return this.#streams.size;
  }

  /**
   * Host side: a new stream with the next odd id. Send its OPEN frame next
   * (`stream.sendJson(FrameType.OPEN, request)`).
   */
  openStream(handler: StreamHandler): MuxStream {
    if (this.#closedBy !== undefined) {
      throw this.#closedBy;
    }
    const id = this.#nextStreamId;
    this.#nextStreamId += 2;
    const stream = new MuxStream(id, this.#link, handler);
    this.#streams.set(id, stream);
    return stream;
  }

  /**
   * Closes the connection: every open stream gets `error` (or ERR_EXEC_CONNECTION_CLOSED).
   * A protocol error is first sent to the peer as ERROR on stream 0. Harmless twice.
   */
  close(error?: Error): void {
    const reason =
      error ??
      new ProtocolError(
        'ERR_EXEC_CONNECTION_CLOSED',
        'The exec connection closed: the guest agent ended, the VM stopped, or the connection was closed',
      );
    this.#shutdown(
      reason,
      reason instanceof ProtocolError && reason.code !== 'ERR_EXEC_CONNECTION_CLOSED',
    );
  }

  #shutdown(reason: Error, tellPeer: boolean): void {
    if (this.#closedBy !== undefined) {
      return;
    }
    this.#closedBy = reason;
    if (tellPeer && reason instanceof ProtocolError && this.#socket.writable) {
      this.#socket.write(
        encodeFrame(
          FrameType.ERROR,
          CONTROL_STREAM_ID,
          Buffer.from(JSON.stringify({ code: reason.code, message: reason.message }), 'utf8'),
        ),
      );
    }
    this.#hello.reject(reason);
    for (const stream of this.#streams.values()) {
      stream.close(reason);
    }
    this.#streams.clear();
    // Let queued frames (an ERROR, a last EXIT) reach the peer, then free the socket.
    this.#socket.end(() => this.#socket.destroy());
    this.#closed.resolve(reason);
  }

  // A large payload follows its header as a second write in one corked batch (one writev), so
  // bulk bytes are not copied into a frame buffer; a small one is copied, one write being cheaper.
  #write(type: FrameType, streamId: number, payload?: Uint8Array): boolean {
    if (payload === undefined || payload.byteLength < COPY_LIMIT_BYTES) {
      return this.#socket.write(encodeFrame(type, streamId, payload));
    }
    this.#socket.cork();
    this.#socket.write(encodeFrameHeader(type, streamId, payload.byteLength));
    const flowing = this.#socket.write(payload);
    this.#socket.uncork();
    return flowing;
  }

  #send(type: FrameType, streamId: number, payload?: Uint8Array): Promise<void> {
    if (this.#closedBy !== undefined || !this.#socket.writable) {
      return Promise.resolve();
    }
    if (this.#write(type, streamId, payload)) {
      return this.#drained ?? Promise.resolve();
    }
    this.#drained ??= new Promise<void>((resolve) => {
      const done = (): void => {
        this.#drained = undefined;
        this.#socket.off('drain', done);
        this.#socket.off('close', done);
        resolve();
      };
      this.#socket.on('drain', done);
      this.#socket.on('close', done);
    });
    return this.#drained;
  }

  #receive(chunk: Buffer): void {
    if (this.#closedBy !== undefined) {
      return;
    }
    try {
      for (const frame of this.#decoder.push(chunk)) {
        this.#dispatch(frame);
        if (this.#closedBy !== undefined) {
          return;
        }
      }
    } catch (error) {
      this.close(
        error instanceof ProtocolError
          ? error
          : new ProtocolError('ERR_EXEC_PROTOCOL', String(error), { cause: error }),
      );
    }
  }

  #dispatch(frame: Frame): void {
    if (frame.streamId === CONTROL_STREAM_ID) {
      this.#control(frame);
      return;
    }
    if (this.#remoteHello === undefined) {
      throw new ProtocolError(
        'ERR_EXEC_PROTOCOL',
        `A ${frameTypeName(frame.type)} frame arrived before HELLO: the peer must greet first`,
      );
    }
    const stream = this.#streams.get(frame.streamId);
    if (frame.type === FrameType.OPEN) {
      this.#open(frame, stream);
      return;
    }
    // A frame for a stream that ended here (a late WINDOW, stdin after exit) is dropped.
    stream?.deliver(frame);
  }

  #open(frame: Frame, existing: MuxStream | undefined): void {
    const onOpen = this.#options.onOpen;
    if (this.#options.role !== 'agent' || onOpen === undefined) {
      throw new ProtocolError(
        'ERR_EXEC_PROTOCOL',
        'The agent sent OPEN: only the host opens streams',
      );
    }
    if (frame.streamId % 2 === 0 || existing !== undefined) {
      throw new ProtocolError(
        'ERR_EXEC_PROTOCOL',
        `OPEN on stream ${frame.streamId}: a host opens each request on a new odd stream id`,
      );
    }
    let handler: StreamHandler | undefined;
    const stream = new MuxStream(frame.streamId, this.#link, {
      onFrame: (next) => handler?.onFrame(next),
      onClose: (error) => handler?.onClose(error),
    });
    this.#streams.set(frame.streamId, stream);
    handler = onOpen(stream, frame.payload);
  }

  #control(frame: Frame): void {
    if (frame.type === FrameType.HELLO) {
      const remote = parseHello(parseJsonPayload(frame.payload, 'HELLO'));
      const local = this.#options.hello;
      if (remote.protocol !== local.protocol) {
        const [agent, host] = this.#options.role === 'agent' ? [local, remote] : [remote, local];
        throw new ProtocolError('ERR_EXEC_AGENT_VERSION', describeVersionMismatch(agent, host));
      }
      this.#remoteHello = remote;
      this.#hello.resolve(remote);
      return;
    }
    if (frame.type === FrameType.ERROR) {
      const { code, message } = parseErrorMessage(parseJsonPayload(frame.payload, 'ERROR'));
      const known = code === 'ERR_EXEC_AGENT_VERSION' ? code : 'ERR_EXEC_PROTOCOL';
      // The peer is closing: take its reason, without echoing an ERROR back.
      this.#shutdown(
        new ProtocolError(known, `The exec peer closed the connection: ${message}`),
        false,
      );
      return;
    }
    throw new ProtocolError(
      'ERR_EXEC_PROTOCOL',
      `A ${frameTypeName(frame.type)} frame on stream 0, which carries only HELLO and ERROR`,
    );
  }
}
