// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { duplexPair } from 'node:stream';
import { setImmediate as tick } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { INITIAL_WINDOW_BYTES } from './constants.js';
import type { Frame } from './frame-codec.js';
import { FrameType } from './frame-types.js';
import { Multiplexer } from './multiplexer.js';
import type { MuxStream, StreamHandler } from './mux-stream.js';

// A handler that keeps what arrives and, unless paused, consumes data at once.
const createRecorder = () => {
  const frames: Frame[] = [];
  const closed: Error[] = [];
  const recorder = {
    frames,
    closed,
    paused: false,
    stream: undefined as MuxStream | undefined,
    bytes: () =>
      frames
        .filter((frame) => frame.type === FrameType.DATA)
        .reduce((sum, frame) => sum + frame.payload.byteLength, 0),
    handler: {
      onFrame: (frame: Frame) => {
        frames.push(frame);
        if (!recorder.paused) {
          recorder.stream?.consumed(frame.payload.byteLength);
        }
      },
      onClose: (error: Error) => closed.push(error),
    } satisfies StreamHandler,
  };
  return recorder;
};

const connect = (agentProtocol = 1) => {
  const [hostSide, agentSide] = duplexPair();
  const opened: Array<{
    stream: MuxStream;
    request: string;
    recorder: ReturnType<typeof createRecorder>;
  }> = [];
  const agent = new Multiplexer(agentSide, {
    role: 'agent',
    hello: { protocol: agentProtocol, agent: '9.9.9' },
    onOpen: (stream, request) => {
      const recorder = createRecorder();
      recorder.stream = stream;
      opened.push({ stream, request: request.toString(), recorder });
      return recorder.handler;
    },
  });
  const host = new Multiplexer(hostSide, { role: 'host', hello: { protocol: 1, host: '1.0.0' } });
  return { host, agent, opened };
};

const until = async (check: () => boolean): Promise<void> => {
  for (let turn = 0; turn < 1000 && !check(); turn += 1) {
    await tick();
  }
  expect(check()).toBe(true);
};

describe('Multiplexer', () => {
  it('exchanges HELLO both ways', async () => {
    const { host, agent } = connect();
    await expect(host.remoteHello).resolves.toEqual({ protocol: 1, agent: '9.9.9' });
    await expect(agent.remoteHello).resolves.toEqual({ protocol: 1, host: '1.0.0' });
    host.close();
    await agent.closed;
  });

  it('refuses a protocol mismatch on both sides, naming both versions and the fix', async () => {
    const { host, agent } = connect(2);
    const message =
      "Exec protocol mismatch: @kindling/exec-agent 9.9.9 speaks protocol 2 but the host (@kindling/ext-exec) 1.0.0 speaks protocol 1: put the agent of the host's release in the guest image (@kindling/exec-agent of protocol 1), or use a host release that speaks protocol 2";
    await expect(host.remoteHello).rejects.toMatchObject({
      code: 'ERR_EXEC_AGENT_VERSION',
      message,
    });
    await expect(agent.remoteHello).rejects.toMatchObject({
      code: 'ERR_EXEC_AGENT_VERSION',
      message,
    });
    expect([host.isClosed, agent.isClosed]).toEqual([true, true]);
  });

  it('carries an OPEN request and data to the agent on an odd stream id', async () => {
    const { host, opened } = connect();
    const client = createRecorder();
    const stream = host.openStream(client.handler);
    stream.sendJson(FrameType.OPEN, { op: 'stat', path: '/x' });
    await stream.write(FrameType.DATA, Buffer.from('hello'));
    await until(() => opened[0]?.recorder.frames.length === 1);
    expect(stream.id).toBe(1);
    expect(host.openStream(client.handler).id).toBe(3);
    expect(opened[0]?.request).toBe('{"op":"stat","path":"/x"}');
    expect(opened[0]?.recorder.frames[0]?.payload.toString()).toBe('hello');
    host.close();
  });

  it('holds a writer at the window until the reader consumes, without stalling other streams', async () => {
    const { host, opened } = connect();
    const slow = host.openStream(createRecorder().handler);
    slow.sendJson(FrameType.OPEN, { op: 'push', path: '/slow' });
    await until(() => opened.length === 1);
    const slowAgent = opened[0]!;
    slowAgent.recorder.paused = true;
    let written = false;
    const writing = slow
      .write(FrameType.DATA, Buffer.alloc(INITIAL_WINDOW_BYTES * 3))
      .then(() => (written = true));
    await until(() => slowAgent.recorder.bytes() === INITIAL_WINDOW_BYTES);

    const fast = host.openStream(createRecorder().handler);
    fast.sendJson(FrameType.OPEN, { op: 'push', path: '/fast' });
    await fast.write(FrameType.DATA, Buffer.alloc(INITIAL_WINDOW_BYTES * 2));
    await until(() => opened[1]?.recorder.bytes() === INITIAL_WINDOW_BYTES * 2);
    expect(written).toBe(false);
    expect(slowAgent.recorder.bytes()).toBe(INITIAL_WINDOW_BYTES);

    slowAgent.recorder.paused = false;
    slowAgent.stream.consumed(slowAgent.recorder.bytes());
    await writing;
    await until(() => slowAgent.recorder.bytes() === INITIAL_WINDOW_BYTES * 3);
    host.close();
  });

  it('fails open streams and pending writes when the connection closes', async () => {
    const { host, agent, opened } = connect();
    const client = createRecorder();
    const stream = host.openStream(client.handler);
    stream.sendJson(FrameType.OPEN, { op: 'pull', path: '/' });
    await until(() => opened.length === 1);
    opened[0]!.recorder.paused = true;
    const writing = stream.write(FrameType.DATA, Buffer.alloc(INITIAL_WINDOW_BYTES + 1));
    await until(() => opened[0]!.recorder.bytes() === INITIAL_WINDOW_BYTES);
    agent.close();
    await expect(writing).rejects.toMatchObject({ code: 'ERR_EXEC_CONNECTION_CLOSED' });
    await until(() => client.closed.length === 1);
    expect(client.closed[0]).toMatchObject({
      code: 'ERR_EXEC_CONNECTION_CLOSED',
      message: expect.stringMatching(/^The exec connection closed/u),
    });
    expect(opened[0]!.recorder.closed).toHaveLength(1);
    expect(host.openStreams + agent.openStreams).toBe(0);
  });

  it('closes the connection when the agent opens a stream', async () => {
    const { host, agent } = connect();
    await host.remoteHello;
    // Stands in for a misbehaving agent: the host's multiplexer must refuse the frame.
    const [hostSide, agentSide] = duplexPair();
    const strictHost = new Multiplexer(hostSide, { role: 'host', hello: { protocol: 1 } });
    const rogue = new Multiplexer(agentSide, { role: 'host', hello: { protocol: 1 } });
    rogue.openStream(createRecorder().handler).sendJson(FrameType.OPEN, { op: 'stat', path: '/' });
    await expect(strictHost.closed).resolves.toMatchObject({
      code: 'ERR_EXEC_PROTOCOL',
      message: 'The agent sent OPEN: only the host opens streams',
    });
    await expect(rogue.closed).resolves.toMatchObject({ code: 'ERR_EXEC_PROTOCOL' });
    host.close();
    await agent.closed;
  });
});
