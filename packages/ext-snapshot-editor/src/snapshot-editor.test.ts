// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { Readable } from 'node:stream';
import {
  SpawnError,
  type ProcessExit,
  type ProcessSpawner,
  type SpawnOptions,
  type SpawnedProcess,
} from '@kindling/spawner';
import { catchError } from '@kindling/test-utils';
import { VmSnapshot } from '@kindling/vm';
import { describe, expect, it } from 'vitest';
import { SnapshotEditor } from './snapshot-editor.js';

/** What the stub "prints" and how it ends; `hang` ends only when its signal aborts. */
interface Script {
  readonly stdout?: string;
  readonly stderr?: string;
  readonly exit?: ProcessExit | 'hang';
}

/** A spawner that runs nothing: it records each call and plays a script. */
class StubSpawner implements ProcessSpawner {
  readonly calls: { binary: string; args: readonly string[]; options: SpawnOptions | undefined }[] =
    [];

  constructor(private readonly script: Script) {}

  spawn(binary: string, args: readonly string[], options?: SpawnOptions): Promise<SpawnedProcess> {
    this.calls.push({ binary, args, options });
    const { exit = { code: 0, signal: null } } = this.script;
    const exited: Promise<ProcessExit> =
      exit === 'hang'
        ? new Promise((resolve) => {
            options?.signal?.addEventListener('abort', () =>
              resolve({ code: null, signal: 'SIGKILL' }),
            );
          })
        : Promise.resolve(exit);
    return Promise.resolve({
      pid: 4242,
      stdin: null,
      stdout: Readable.from([Buffer.from(this.script.stdout ?? '')]),
      stderr: Readable.from([Buffer.from(this.script.stderr ?? '')]),
      exited,
      kill: () => false,
    });
  }
}

const editorWith = (script: Script, timeoutMs?: number) => {
  const spawner = new StubSpawner(script);
  const editor = new SnapshotEditor({
    binaryPath: '/opt/fc/snapshot-editor',
    spawner,
    ...(timeoutMs === undefined ? {} : { timeoutMs }),
  });
  return { spawner, editor };
};

const snapshot = (type: 'Full' | 'Diff', name: string): VmSnapshot =>
  new VmSnapshot({ type, snapshotPath: `/s/${name}.state`, memPath: `/s/${name}.mem` });

describe('new SnapshotEditor()', () => {
  it('runs the installation’s snapshot-editor, directly by default', () => {
    const editor = new SnapshotEditor({
      installation: { snapshotEditorPath: '/opt/fc/snapshot-editor' },
    });
    expect(editor.binaryPath).toBe('/opt/fc/snapshot-editor');
    expect(editor.spawner.constructor.name).toBe('DirectSpawner');
    expect(editor.timeoutMs).toBe(60_000);
  });

  it.each([
    [{}, /options: give exactly one of installation and binaryPath/u],
    [{ binaryPath: '/a', installation: { snapshotEditorPath: '/b' } }, /exactly one/u],
    [{ binaryPath: '' }, /options\.binaryPath: must be a path to a file, got ""/u],
    [{ binaryPath: '/a', timeoutMs: 0 }, /options\.timeoutMs: .*got 0/u],
    [{ binaryPath: '/a', spawner: {} }, /options\.spawner: must be a ProcessSpawner/u],
    [{ binaryPath: '/a', timeoutMS: 5 }, /options\.timeoutMS: .*timeoutMs/u],
  ])('refuses %j with ERR_INVALID_INPUT', (options, message) => {
    const make = () => new SnapshotEditor(options as never);
    expect(make).toThrow(
      expect.objectContaining({ code: 'ERR_INVALID_INPUT', name: 'SnapshotEditorError' }),
    );
    expect(make).toThrow(message);
  });
});

describe('a SnapshotEditor', () => {
  it('runs edit-memory rebase through its spawner, with absolute paths', async () => {
    const { editor, spawner } = editorWith({});
    await editor.rebaseMemory({ memoryPath: 'base.mem', diffPath: '/s/diff.mem' });
    expect(spawner.calls).toMatchObject([
      {
        binary: '/opt/fc/snapshot-editor',
        args: [
          'edit-memory',
          'rebase',
          '--memory-path',
          `${process.cwd()}/base.mem`,
          '--diff-path',
          '/s/diff.mem',
        ],
        options: { stdio: { stdin: 'ignore', stdout: 'pipe', stderr: 'pipe' } },
      },
    ]);
  });

  it('rebases a diff snapshot onto its base: the diff’s state with the base’s memory', async () => {
    const { editor, spawner } = editorWith({});
    const rebased = await editor.rebaseSnapshot({
      base: snapshot('Full', 'full'),
      diff: snapshot('Diff', 'diff'),
    });
    expect(spawner.calls[0]?.args).toEqual([
      'edit-memory',
      'rebase',
      '--memory-path',
      '/s/full.mem',
      '--diff-path',
      '/s/diff.mem',
    ]);
    expect(rebased).toBeInstanceOf(VmSnapshot);
    expect(rebased).toMatchObject({
      type: 'Full',
      snapshotPath: '/s/diff.state',
      memPath: '/s/full.mem',
    });
  });

  it.each([
    [
      { base: snapshot('Full', 'a'), diff: snapshot('Full', 'b') },
      /options\.diff: must be a 'Diff' snapshot/u,
    ],
    [
      {
        base: snapshot('Full', 'a'),
        diff: new VmSnapshot({ type: 'Diff', snapshotPath: '/s/b.state', memPath: '/s/a.mem' }),
      },
      /options\.diff\.memPath: diff must have its own memory file/u,
    ],
    [{ base: '/s/a.mem', diff: snapshot('Diff', 'b') }, /options\.base: must be a VmSnapshot/u],
  ])('refuses a rebase of %j before running anything', async (options, message) => {
    const { editor, spawner } = editorWith({});
    const error = await catchError(editor.rebaseSnapshot(options as never));
    expect(error).toMatchObject({
      code: 'ERR_INVALID_INPUT',
      message: expect.stringMatching(message),
    });
    expect(spawner.calls).toEqual([]);
  });

  it('refuses to rebase a file onto itself', async () => {
    const { editor } = editorWith({});
    await expect(editor.rebaseMemory({ memoryPath: '/m', diffPath: '/m' })).rejects.toThrow(
      /options\.diffPath: diffPath must be another file than memoryPath/u,
    );
  });

  it('reads info-vmstate reports as data', async () => {
    const { editor, spawner } = editorWith({ stdout: 'v10.0.0\n' });
    expect(await editor.readVersion({ vmstatePath: '/s/vm.state' })).toMatchObject({ major: 10 });
    expect(spawner.calls[0]?.args).toEqual([
      'info-vmstate',
      'version',
      '--vmstate-path',
      '/s/vm.state',
    ]);
    const vcpus = editorWith({ stdout: 'vcpu 0:\nVcpuState {\n    index: 0,\n}\n' });
    expect(await vcpus.editor.readVcpuStates({ vmstatePath: '/s/vm.state' })).toEqual([
      { index: 0, state: { $type: 'VcpuState', index: 0 } },
    ]);
    expect(vcpus.spawner.calls[0]?.args[1]).toBe('vcpu-states');
    const state = editorWith({ stdout: 'MicrovmState {\n    vm_info: None,\n}\n' });
    expect(await state.editor.readVmState({ vmstatePath: '/s/vm.state' })).toEqual({
      $type: 'MicrovmState',
      vm_info: null,
    });
    expect(state.spawner.calls[0]?.args[1]).toBe('vm-state');
  });

  it('fails with the tool’s exit code and stderr when it exits non-zero', async () => {
    const stderr =
      'Error during getting info from a vmstate file: Can not open snapshot file: No such file or directory (os error 2)\nError: InfoVmState(…)\n';
    const { editor } = editorWith({ stderr, exit: { code: 1, signal: null } });
    const error = await catchError(editor.readVersion({ vmstatePath: '/s/gone.state' }));
    expect(error).toMatchObject({
      code: 'ERR_SNAPSHOT_EDITOR_FAILED',
      exitCode: 1,
      stderr,
      run: {
        args: ['info-vmstate', 'version', '--vmstate-path', '/s/gone.state'],
        exit: { code: 1, signal: null },
      },
      message: `snapshot-editor info-vmstate version exited with code 1: ${stderr.trim()}`,
    });
  });

  it('says how it was killed, and that it printed nothing', async () => {
    const { editor } = editorWith({ exit: { code: null, signal: 'SIGSEGV' } });
    const error = await catchError(editor.rebaseMemory({ memoryPath: '/a', diffPath: '/b' }));
    expect(error).toMatchObject({
      code: 'ERR_SNAPSHOT_EDITOR_FAILED',
      exitCode: null,
      message:
        'snapshot-editor edit-memory rebase was killed by SIGSEGV and printed nothing on stderr',
    });
  });

  it('fails with ERR_SNAPSHOT_EDITOR_OUTPUT on output v1.16.1 does not print', async () => {
    const { editor } = editorWith({ stdout: 'MicrovmState {\n    broken\n' });
    const error = await catchError(editor.readVmState({ vmstatePath: '/s/vm.state' }));
    expect(error).toMatchObject({
      code: 'ERR_SNAPSHOT_EDITOR_OUTPUT',
      message: expect.stringMatching(
        /^snapshot-editor info-vmstate vm-state printed what snapshot-editor v1\.16\.1 does not \(expected ":" at offset 26\)/u,
      ),
    });
  });

  it('kills a run that outlasts timeoutMs with ERR_WAIT_TIMEOUT', async () => {
    const { editor } = editorWith({ exit: 'hang' }, 50);
    const error = await catchError(editor.rebaseMemory({ memoryPath: '/a', diffPath: '/b' }));
    expect(error).toMatchObject({
      code: 'ERR_WAIT_TIMEOUT',
      message: expect.stringMatching(
        /^snapshot-editor edit-memory rebase did not finish within 50 ms and was killed/u,
      ),
      run: { exit: { code: null, signal: 'SIGKILL' } },
    });
  });

  it('stops at the caller’s abort with the signal’s reason', async () => {
    const { editor } = editorWith({ exit: 'hang' });
    const controller = new AbortController();
    const reason = new Error('stop');
    const pending = editor.readVmState({ vmstatePath: '/s/vm.state', signal: controller.signal });
    controller.abort(reason);
    expect(await catchError(pending)).toBe(reason);
    expect(
      await catchError(
        editor.readVmState({ vmstatePath: '/s/vm.state', signal: controller.signal }),
      ),
    ).toBe(reason);
  });

  it('passes a spawn failure through unchanged', async () => {
    const failure = new SpawnError('ERR_SPAWN_FAILED', 'no such binary');
    const editor = new SnapshotEditor({
      binaryPath: '/nowhere/snapshot-editor',
      spawner: { spawn: () => Promise.reject(failure) },
    });
    expect(await catchError(editor.readVersion({ vmstatePath: '/s/vm.state' }))).toBe(failure);
  });
});
