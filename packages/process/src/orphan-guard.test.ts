// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { isAlive, waitUntilGone } from '@kindling/test-utils';
import { describe, expect, it } from 'vitest';
import {
  guardAgainstOrphaning,
  inspectOrphanGuard,
  onHostExit,
  sweepWhenGoingDown,
} from './orphan-guard.js';

const GUARD_URL = new URL('orphan-guard.ts', import.meta.url).href;

interface ParentOutcome {
  readonly sleeperPid: number;
  readonly lines: readonly string[];
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stderr: string;
}

/**
 * Runs a Node parent that guards a `sleep 60` child and then runs `scenario`; `onPid` runs once
 * the parent has printed the sleeper's pid. With `sweeper`, a sweeper prints (synchronously, as
 * Node goes down) `swept after kill: <whether the child was signalled>`.
 */
const runParent = async (
  scenario: string,
  onPid?: (parent: ReturnType<typeof spawn>) => void,
  guardOptions: { killOnSignal?: boolean } = {},
  sweeper = false,
): Promise<ParentOutcome> => {
  const script = `
    import { spawn } from 'node:child_process';
    import { writeSync } from 'node:fs';
    import { guardAgainstOrphaning, onHostExit, sweepWhenGoingDown } from ${JSON.stringify(GUARD_URL)};
    const sleeper = spawn('sleep', ['60'], { stdio: 'ignore' });
    guardAgainstOrphaning(sleeper, ${JSON.stringify(guardOptions)});
    // Whether the guard has signalled the child (its death follows a moment later).
    const signalled = () => sleeper.killed;
    if (${String(sweeper)}) {
      // Registered first, run last: an extension's sweep follows every VMM's.
      onHostExit(() => writeSync(1, 'host exit sweep\\n'));
      sweepWhenGoingDown(() => writeSync(1, 'swept after kill: ' + signalled() + '\\n'));
    }
    process.stdout.write(sleeper.pid + '\\n');
    ${scenario}
  `;
  const parent = spawn(process.execPath, ['--input-type=module', '-e', script], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  let reported = false;
  parent.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
    if (!reported && stdout.includes('\n')) {
      reported = true;
      onPid?.(parent);
    }
  });
  parent.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  const [code, signal] = (await once(parent, 'close')) as [number | null, NodeJS.Signals | null];
  const [pidLine = '', ...lines] = stdout.trim().split('\n');
  return { sleeperPid: Number(pidLine), lines, code, signal, stderr };
};

describe('guardAgainstOrphaning', () => {
  it('installs the process hooks with the first child and removes them with the last', () => {
    const before = process.listenerCount('SIGTERM');
    const first = guardAgainstOrphaning({ kill: () => true });
    const second = guardAgainstOrphaning({ kill: () => true });
    expect(inspectOrphanGuard()).toEqual({
      guarded: 2,
      sweepers: 0,
      hostExitSweeps: 0,
      installed: true,
      signalsInstalled: true,
    });
    expect(process.listenerCount('SIGTERM')).toBe(before + 1);
    expect(process.listenerCount('SIGINT')).toBeGreaterThan(0);
    first[Symbol.dispose]();
    expect(inspectOrphanGuard().installed).toBe(true);
    second[Symbol.dispose]();
    second[Symbol.dispose]();
    expect(inspectOrphanGuard()).toEqual({
      guarded: 0,
      sweepers: 0,
      hostExitSweeps: 0,
      installed: false,
      signalsInstalled: false,
    });
    expect(process.listenerCount('SIGTERM')).toBe(before);
  });

  it('kills the child when the parent exits', async () => {
    const outcome = await runParent('process.exit(0);');
    expect(outcome.code).toBe(0);
    await waitUntilGone(outcome.sleeperPid);
  });

  it('kills the child on an uncaught error, and the parent still fails with it', async () => {
    const outcome = await runParent("setImmediate(() => { throw new Error('boom'); });");
    expect(outcome.code).toBe(1);
    expect(outcome.stderr).toContain('boom');
    await waitUntilGone(outcome.sleeperPid);
  });

  it('kills the child on SIGTERM, and the parent still dies by SIGTERM', async () => {
    const outcome = await runParent('setInterval(() => undefined, 1000);', (parent) =>
      parent.kill('SIGTERM'),
    );
    expect(outcome.signal).toBe('SIGTERM');
    await waitUntilGone(outcome.sleeperPid);
  });

  it('kills the child on SIGINT', async () => {
    const outcome = await runParent('setInterval(() => undefined, 1000);', (parent) =>
      parent.kill('SIGINT'),
    );
    expect(outcome.signal).toBe('SIGINT');
    await waitUntilGone(outcome.sleeperPid);
  });

  it("kills the child before a program's own SIGTERM handler runs", async () => {
    const outcome = await runParent(
      `setInterval(() => undefined, 1000);
       process.on('SIGTERM', () => { process.stdout.write('signalled in handler: ' + signalled() + '\\n'); process.exit(0); });`,
      (parent) => parent.kill('SIGTERM'),
    );
    expect(outcome.lines).toEqual(['signalled in handler: true']);
    expect(outcome.code).toBe(0);
    await waitUntilGone(outcome.sleeperPid);
  });

  it('with killOnSignal: false, leaves the child to the handler and kills it at exit', async () => {
    const outcome = await runParent(
      `setInterval(() => undefined, 1000);
       process.on('SIGTERM', () => { process.stdout.write('signalled in handler: ' + signalled() + '\\n'); process.exit(0); });`,
      (parent) => parent.kill('SIGTERM'),
      { killOnSignal: false },
    );
    expect(outcome.lines).toEqual(['signalled in handler: false']);
    expect(outcome.code).toBe(0);
    await waitUntilGone(outcome.sleeperPid);
  });

  it('lets a listener that re-raises only when alone (signal-exit, under execa) still do so', async () => {
    // signal-exit's rule: re-raise when it is the only listener left, else defer to the others.
    const outcome = await runParent(
      `setInterval(() => undefined, 1000);
       const deferring = (signal) => {
         if (process.listenerCount(signal) === 1) {
           process.off(signal, deferring);
           process.kill(process.pid, signal);
         }
       };
       process.on('SIGTERM', deferring);`,
      (parent) => parent.kill('SIGTERM'),
    );
    expect(outcome.signal).toBe('SIGTERM');
    await waitUntilGone(outcome.sleeperPid);
  });

  it('sweeps after the kill on SIGTERM, before the parent dies by it', async () => {
    const outcome = await runParent(
      'setInterval(() => undefined, 1000);',
      (parent) => parent.kill('SIGTERM'),
      {},
      true,
    );
    expect([outcome.signal, outcome.lines]).toEqual([
      'SIGTERM',
      ['swept after kill: true', 'host exit sweep'],
    ]);
    await waitUntilGone(outcome.sleeperPid);
  });

  it('sweeps before a signal-exit listener (execa) raises the signal again', async () => {
    // signal-exit v4 counts its listeners on a global, and re-raises when only they are left.
    const outcome = await runParent(
      `setInterval(() => undefined, 1000);
       globalThis[Symbol.for('signal-exit emitter')] = { count: 1 };
       const signalExit = (signal) => {
         if (process.listenerCount(signal) === 1) {
           process.off(signal, signalExit);
           process.kill(process.pid, signal);
         }
       };
       process.on('SIGINT', signalExit);`,
      (parent) => parent.kill('SIGINT'),
      {},
      true,
    );
    expect([outcome.signal, outcome.lines]).toEqual([
      'SIGINT',
      ['swept after kill: true', 'host exit sweep'],
    ]);
    await waitUntilGone(outcome.sleeperPid);
  });

  it("leaves a program's own handler in charge, and sweeps only when it exits", async () => {
    const outcome = await runParent(
      `setInterval(() => undefined, 1000);
       process.on('SIGTERM', () => { process.stdout.write('handler\\n', () => process.exit(3)); });`,
      (parent) => parent.kill('SIGTERM'),
      { killOnSignal: false },
      true,
    );
    expect([outcome.code, outcome.lines]).toEqual([
      3,
      ['handler', 'swept after kill: true', 'host exit sweep'],
    ]);
  });

  it('keeps the hooks while a sweeper is registered, and reports it', () => {
    const sweeper = sweepWhenGoingDown(() => {});
    expect(inspectOrphanGuard()).toMatchObject({ guarded: 0, sweepers: 1, installed: true });
    sweeper[Symbol.dispose]();
    expect(inspectOrphanGuard()).toMatchObject({ sweepers: 0, installed: false });
  });

  it('keeps the hooks while a host-exit sweep is registered; unregistering twice is harmless', () => {
    const unregister = onHostExit(() => {});
    expect(inspectOrphanGuard()).toMatchObject({ hostExitSweeps: 1, installed: true });
    unregister();
    unregister();
    expect(inspectOrphanGuard()).toMatchObject({ hostExitSweeps: 0, installed: false });
  });

  it('runs host-exit sweeps on process.exit() too, after the VMM sweepers', async () => {
    const outcome = await runParent('process.exit(0);', undefined, {}, true);
    expect([outcome.code, outcome.lines]).toEqual([
      0,
      ['swept after kill: true', 'host exit sweep'],
    ]);
  });

  it('leaves the child alone when the program handles uncaught errors itself', async () => {
    const outcome = await runParent(
      `process.on('uncaughtException', () => { process.stdout.write('signalled after error: ' + signalled() + '\\n'); process.exit(0); });
       setImmediate(() => { throw new Error('handled'); });`,
    );
    expect(outcome.lines).toEqual(['signalled after error: false']);
    await waitUntilGone(outcome.sleeperPid);
    expect(isAlive(outcome.sleeperPid)).toBe(false);
  });
});
