// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { FrameType } from '../src/protocol/index.js';
import { connectClient, startTestAgent } from './support/agent-client.js';

describe('exec', () => {
  it('runs argv without a shell and returns stdout, stderr and the exit code', async () => {
    await using setup = await startTestAgent();
    const client = await connectClient(setup.address);
    const reply = await client.request({
      op: 'exec',
      argv: ['sh', '-c', 'echo out; echo err >&2; exit 3'],
    });
    expect(reply.stdout.toString()).toBe('out\n');
    expect(reply.stderr.toString()).toBe('err\n');
    expect(reply.exit).toEqual({ exitCode: 3, signal: null, timedOut: false });
    expect(reply.eofs.toSorted((a, b) => a - b)).toEqual([FrameType.STDOUT, FrameType.STDERR]);
    const literal = await client.request({ op: 'exec', argv: ['echo', '$HOME', '*'] });
    expect(literal.stdout.toString()).toBe('$HOME *\n');
    client.mux.close();
  });

  it('runs in cwd under the root, with env set over the agent’s', async () => {
    await using setup = await startTestAgent();
    const client = await connectClient(setup.address);
    await client.request({ op: 'mkdir', path: '/work' });
    const reply = await client.request({
      op: 'exec',
      argv: ['sh', '-c', 'pwd; echo "$GREETING"'],
      cwd: '/work',
      env: { GREETING: 'hi' },
    });
    expect(reply.stdout.toString()).toBe(`${setup.root}/work\nhi\n`);
    client.mux.close();
  });

  it('streams stdin in, binary bytes intact', async () => {
    await using setup = await startTestAgent();
    const client = await connectClient(setup.address);
    const bytes = Buffer.from(
      Array.from({ length: 3 * 1024 * 1024 }, (_, index) => (index * 7919) % 256),
    );
    const reply = await client.request({ op: 'exec', argv: ['cat'] }, bytes);
    expect(reply.stdout.equals(bytes)).toBe(true);
    expect(reply.exit?.exitCode).toBe(0);
    client.mux.close();
  });

  it('delivers a signal from the host to the command and reports it', async () => {
    await using setup = await startTestAgent();
    const client = await connectClient(setup.address);
    const reply = await client.request(
      { op: 'exec', argv: ['sh', '-c', 'echo ready; exec sleep 30'] },
      undefined,
      (send) => {
        void sleep(200).then(() => send(FrameType.SIGNAL, { signal: 'SIGTERM' }));
      },
    );
    expect(reply.exit).toEqual({ exitCode: null, signal: 'SIGTERM', timedOut: false });
    client.mux.close();
  });

  it('kills a command that outlives timeoutMs, its children too', async () => {
    await using setup = await startTestAgent();
    const client = await connectClient(setup.address);
    const started = Date.now();
    const reply = await client.request({
      op: 'exec',
      argv: ['sh', '-c', 'sleep 30 & sleep 30'],
      timeoutMs: 300,
    });
    expect(reply.exit).toEqual({ exitCode: null, signal: 'SIGKILL', timedOut: true });
    // The background sleep held stdout open: it was killed with the group, or EXIT would wait 30 s.
    expect(Date.now() - started).toBeLessThan(10_000);
    client.mux.close();
  });

  it('answers ERR_EXEC_SPAWN for a missing command and ERR_INVALID_INPUT for a bad request', async () => {
    await using setup = await startTestAgent();
    const client = await connectClient(setup.address);
    const missing = await client.request({ op: 'exec', argv: ['no-such-command-kindling'] });
    expect(missing.error).toEqual({
      code: 'ERR_EXEC_SPAWN',
      message:
        'Could not start "no-such-command-kindling": no such command in PATH, or the cwd does not exist',
    });
    const bad = await client.request({ op: 'exec', argv: [] });
    expect(bad.error).toEqual({
      code: 'ERR_INVALID_INPUT',
      message: 'exec.argv: expected a non-empty array of strings without NUL, got []',
    });
    client.mux.close();
  });

  it('gives a command a terminal of the size asked, and resizes it', async () => {
    await using setup = await startTestAgent();
    const client = await connectClient(setup.address);
    const reply = await client.request(
      {
        op: 'exec',
        argv: ['sh', '-c', 'tty; stty size; sleep 1; stty size'],
        pty: { cols: 100, rows: 30 },
      },
      undefined,
      (send) => {
        void sleep(500).then(() => send(FrameType.RESIZE, { cols: 120, rows: 40 }));
      },
    );
    const lines = reply.stdout.toString().split(/\r?\n/u);
    expect(lines[0]).toMatch(/^\/dev\/pts\/\d+$/u);
    expect(lines.slice(1, 3)).toEqual(['30 100', '40 120']);
    expect(reply.exit?.exitCode).toBe(0);
    client.mux.close();
  });

  it('runs 50 execs at once on one connection', async () => {
    await using setup = await startTestAgent();
    const client = await connectClient(setup.address);
    const replies = await Promise.all(
      Array.from({ length: 50 }, (_, index) =>
        client.request({ op: 'exec', argv: ['echo', String(index)] }),
      ),
    );
    expect(replies.map((reply) => reply.stdout.toString())).toEqual(
      Array.from({ length: 50 }, (_, index) => `${index}\n`),
    );
    client.mux.close();
  });

  it('kills the running execs of a connection that closes', async () => {
    await using setup = await startTestAgent();
    const client = await connectClient(setup.address);
    const marker = `${setup.root}/pid`;
    const pending = client.request({
      op: 'exec',
      argv: ['sh', '-c', `echo $$ > ${marker}; exec sleep 30`],
    });
    const pid = await waitForPid(marker);
    client.mux.close();
    await expect(pending).rejects.toMatchObject({ code: 'ERR_EXEC_CONNECTION_CLOSED' });
    await waitUntilDead(pid);
  });
});

const waitForPid = async (file: string): Promise<number> => {
  const { readFile } = await import('node:fs/promises');
  for (let attempt = 0; attempt < 200; attempt += 1) {
    const text = await readFile(file, 'utf8').catch(() => '');
    if (text.endsWith('\n')) {
      return Number(text.trim());
    }
    await sleep(25);
  }
  throw new Error(`no pid in ${file}`);
};

const waitUntilDead = async (pid: number): Promise<void> => {
  for (let attempt = 0; attempt < 200; attempt += 1) {
    try {
      process.kill(pid, 0);
    } catch {
      return;
    }
    await sleep(25);
  }
  throw new Error(`process ${pid} still alive`);
};
