// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { once } from 'node:events';
import { INITIAL_WINDOW_BYTES } from '@kindling/exec-agent/protocol';
import { catchError, TEST_WAIT_MS } from '@kindling/test-utils';
import {
  createVmTestHarness,
  isRealBackend,
  NEEDS_GUEST,
  SETUPS,
  type ExecutorSetup,
  type VmTestHarness,
} from '@kindling/test-vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exec, openExecSession, spawnInGuest } from '../src/index.js';
import { askUntil, bufferedReaches, countConnections } from './support/streams.js';

describe.skipIf(isRealBackend).each(SETUPS)(
  `exec in the guest, $name ${NEEDS_GUEST}`,
  (setup: ExecutorSetup) => {
    let harness: VmTestHarness;
    beforeAll(async () => {
      harness = await createVmTestHarness({ label: 'ext-exec' });
    });
    afterAll(async () => {
      await harness[Symbol.asyncDispose]();
    });

    it('runs a command: exit code 0, stdout and stderr apart; a non-zero exit resolves too', async () => {
      const vm = await harness.boot(setup);
      expect(await exec(vm, ['echo', 'hello', 'guest'])).toEqual({
        exitCode: 0,
        signal: null,
        stdout: 'hello guest\n',
        stderr: '',
      });
      expect(await exec(vm, ['sh', '-c', 'echo out; echo oops >&2; exit 3'])).toEqual({
        exitCode: 3,
        signal: null,
        stdout: 'out\n',
        stderr: 'oops\n',
      });
      // A shell only when asked, with env and cwd.
      const shell = await exec(vm, ['echo "$GREETING" from $(basename "$PWD")'], {
        shell: true,
        env: { GREETING: 'hi' },
        cwd: '/',
      });
      expect(shell.stdout).toMatch(/^hi from \S+\n$/u);
    });

    it('reports a signal, kills on timeout, on kill() and on abort', async () => {
      const vm = await harness.boot(setup);
      expect(await exec(vm, ['sh', '-c', 'kill -TERM $$'])).toMatchObject({
        exitCode: null,
        signal: 'SIGTERM',
      });
      const started = Date.now();
      await expect(exec(vm, ['sleep', '30'], { timeoutMs: 300 })).rejects.toMatchObject({
        name: 'ExecError',
        code: 'ERR_EXEC_TIMEOUT',
        message: expect.stringContaining(
          'exec ["sleep","30"] ran longer than options.timeoutMs (300 ms)',
        ),
      });
      expect(Date.now() - started).toBeLessThan(TEST_WAIT_MS);

      const child = spawnInGuest(vm, ['sleep', '30']);
      expect(child.kill('SIGINT')).toBe(true);
      expect(await child.exited).toEqual({ exitCode: null, signal: 'SIGINT' });
      expect(child.kill()).toBe(false);

      const controller = new AbortController();
      const aborted = exec(vm, ['sleep', '30'], { signal: controller.signal });
      controller.abort(new Error('enough'));
      await expect(aborted).rejects.toThrow('enough');
    });

    it('streams stdin in, and keeps binary data intact both ways', async () => {
      const vm = await harness.boot(setup);
      expect((await exec(vm, ['cat'], { stdin: 'from the host' })).stdout).toBe('from the host');
      const bytes = Buffer.alloc(256 * 1024);
      for (let index = 0; index < bytes.length; index += 1) {
        bytes[index] = (index * 7 + (index >> 8)) & 0xff;
      }
      const echoed = await exec(vm, ['cat'], { stdin: bytes, encoding: 'buffer' });
      expect(Buffer.compare(echoed.stdout, bytes)).toBe(0);

      // A conversation: each line written is answered before the next is sent.
      const child = spawnInGuest(vm, ['sh', '-c', 'while read line; do echo "got $line"; done']);
      const lines: string[] = [];
      child.stdout.setEncoding('utf8');
      for (const word of ['one', 'two']) {
        child.stdin.write(`${word}\n`);
        const [line] = (await once(child.stdout, 'data')) as [string];
        lines.push(line);
      }
      child.stdin.end();
      expect(lines).toEqual(['got one\n', 'got two\n']);
      expect(await child.exited).toEqual({ exitCode: 0, signal: null });
    });

    it('streams 100 MB of output without holding it, and bounds what exec keeps', async () => {
      const vm = await harness.boot(setup);
      const total = 100 * 1024 * 1024;
      const child = spawnInGuest(vm, ['head', '-c', String(total), '/dev/zero']);
      // A reader that has not read yet: the agent sends one window (256 KiB) and waits for
      // credit. A byte beyond it would be a protocol error, failing the command's stream.
      await bufferedReaches(child.stdout, INITIAL_WINDOW_BYTES, TEST_WAIT_MS);
      expect(child.stdout.readableLength).toBe(INITIAL_WINDOW_BYTES);
      let received = 0;
      for await (const chunk of child.stdout) {
        received += (chunk as Buffer).byteLength;
      }
      expect(received).toBe(total);
      expect(await child.exited).toEqual({ exitCode: 0, signal: null });

      await expect(
        exec(vm, ['head', '-c', '3000000', '/dev/zero'], { maxBuffer: 1_000_000 }),
      ).rejects.toMatchObject({
        code: 'ERR_EXEC_MAX_BUFFER',
        message: expect.stringContaining(
          'wrote more than options.maxBuffer (1000000 bytes) to stdout',
        ),
      });
    });

    it('gives a command a terminal of the asked size, and resizes it', async () => {
      const vm = await harness.boot(setup);
      const sized = await exec(
        vm,
        ['sh', '-c', 'test -t 0 && test -t 1 && stty size; echo err >&2'],
        {
          pty: { cols: 100, rows: 30 },
        },
      );
      expect(sized.exitCode).toBe(0);
      // One terminal: stderr comes through stdout, in lines ending \r\n.
      expect(sized.stdout).toContain('30 100');
      expect(sized.stdout).toContain('err');
      expect(sized.stderr).toBe('');

      const child = spawnInGuest(
        vm,
        ['sh', '-c', 'echo ready; while read line; do stty size; done'],
        { pty: { cols: 80, rows: 24 } },
      );
      // The agent resizes in the background: ask for the size until the new one shows.
      expect(
        await askUntil(child, 'ready', () => child.resize({ cols: 120, rows: 40 }), '40 120'),
      ).toBe(true);
      child.stdin.end();
      await child[Symbol.asyncDispose]();
      expect(() => spawnInGuest(vm, ['true']).resize({ cols: 1, rows: 1 })).toThrow(
        expect.objectContaining({ code: 'ERR_WRONG_STATE' }),
      );
    });

    it('runs 50 commands at once over one connection', async () => {
      const vm = await harness.boot(setup);
      const counted = countConnections(vm);
      await using session = openExecSession(counted.vm);
      const results = await Promise.all(
        Array.from({ length: 50 }, (_, index) =>
          session.exec(['sh', '-c', 'sleep 0.1; echo "$0"', String(index)]),
        ),
      );
      expect(results.map((result) => result.stdout)).toEqual(
        Array.from({ length: 50 }, (_, index) => `${index}\n`),
      );
      expect(counted.opened()).toBe(1);
    });

    it('fails clearly: a missing program, bad input', async () => {
      const vm = await harness.boot(setup);
      await expect(exec(vm, ['/no/such/program'])).rejects.toMatchObject({
        code: 'ERR_EXEC_SPAWN',
        message: expect.stringContaining('/no/such/program'),
      });
      const error = await catchError(() => exec(vm, [], { timeoutMs: -1 } as never));
      expect(error).toMatchObject({ code: 'ERR_INVALID_INPUT' });
      expect(() => spawnInGuest(vm, ['a', 'b'], { shell: true })).toThrow(
        expect.objectContaining({
          code: 'ERR_INVALID_INPUT',
          message: expect.stringContaining('argv'),
        }),
      );
      await expect(exec(vm, ['true'], { timeout: 5 } as never)).rejects.toMatchObject({
        code: 'ERR_INVALID_INPUT',
        message: expect.stringContaining('did you mean timeoutMs'),
      });
    });
  },
);
