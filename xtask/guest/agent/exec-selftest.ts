// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

// The guest asks its own exec agent, through vsock port 10000 on the guest-local transport (CID
// 1), what a host would: an exec, one with a terminal, a push of a small tree and its pull back.
// socat carries the bytes (Node has no AF_VSOCK); the host-side code is the protocol's own.
import { spawn } from 'node:child_process';
import { chmod, lstat, mkdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { Duplex, Readable } from 'node:stream';
import {
  EXEC_AGENT_PORT,
  FrameType,
  Multiplexer,
  packTar,
  parseErrorMessage,
  parseJsonPayload,
  PROTOCOL_VERSION,
  replaceFromTar,
  type OpenRequest,
} from '../../../packages/exec-agent/src/protocol/index.ts';

interface Reply {
  readonly stdout: string;
  readonly data: Buffer;
  readonly end: unknown;
}

const request = (
  mux: Multiplexer,
  open: OpenRequest,
  input?: AsyncIterable<Buffer>,
): Promise<Reply> =>
  new Promise((resolve, reject) => {
    const stdout: Buffer[] = [];
    const data: Buffer[] = [];
    const stream = mux.openStream({
      onFrame: (frame) => {
        if (frame.type === FrameType.STDOUT || frame.type === FrameType.DATA) {
          (frame.type === FrameType.DATA ? data : stdout).push(Buffer.from(frame.payload));
          stream.consumed(frame.payload.byteLength);
        } else if (frame.type === FrameType.EXIT || frame.type === FrameType.RESULT) {
          stream.end();
          resolve({
            stdout: Buffer.concat(stdout).toString(),
            data: Buffer.concat(data),
            end: parseJsonPayload(frame.payload, 'END'),
          });
        } else if (frame.type === FrameType.ERROR) {
          stream.end();
          reject(
            new Error(JSON.stringify(parseErrorMessage(parseJsonPayload(frame.payload, 'ERROR')))),
          );
        }
      },
      onClose: reject,
    });
    stream.sendJson(FrameType.OPEN, open);
    const send = async (): Promise<void> => {
      for await (const chunk of input ?? []) {
        await stream.write(FrameType.DATA, chunk);
      }
      stream.sendEof(FrameType.DATA);
    };
    send().catch(reject);
  });

/** Runs the self-test; resolves with what each step saw. */
export const runExecSelftest = async (): Promise<Record<string, unknown>> => {
  const socat = spawn('socat', ['-t', '60', '-', `VSOCK-CONNECT:1:${EXEC_AGENT_PORT}`], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const mux = new Multiplexer(Duplex.from({ readable: socat.stdout, writable: socat.stdin }), {
    role: 'host',
    hello: { protocol: PROTOCOL_VERSION, host: 'guest-selftest' },
  });
  try {
    const hello = await mux.remoteHello;
    const uname = await request(mux, { op: 'exec', argv: ['uname', '-s'] });
    const tty = await request(mux, {
      op: 'exec',
      argv: ['sh', '-c', 'tty; stty size'],
      pty: { cols: 90, rows: 20 },
    });
    await rm('/tmp/selftest', { recursive: true, force: true });
    await mkdir('/tmp/selftest/src', { recursive: true });
    await writeFile('/tmp/selftest/src/run.sh', '#!/bin/sh\necho hi\n');
    await chmod('/tmp/selftest/src/run.sh', 0o751);
    await symlink('run.sh', '/tmp/selftest/src/link');
    const pushed = await request(
      mux,
      { op: 'push', path: '/tmp/selftest/dst' },
      packTar('/tmp/selftest/src'),
    );
    const pulled = await request(mux, { op: 'pull', path: '/tmp/selftest/dst' });
    await replaceFromTar(Readable.from([pulled.data]), '/tmp/selftest/back');
    return {
      protocol: hello.protocol,
      uname: uname.stdout.trim(),
      exit: uname.end,
      tty: tty.stdout.replaceAll('\r', '').trim().split('\n'),
      pushed: pushed.end,
      pulled: pulled.end,
      mode: ((await lstat('/tmp/selftest/back/run.sh')).mode & 0o7777).toString(8),
      content: await readFile('/tmp/selftest/back/link', 'utf8'),
    };
  } finally {
    mux.close();
    socat.kill();
  }
};
