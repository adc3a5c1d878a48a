// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { existsSync } from 'node:fs';
import { lstat, readFile } from 'node:fs/promises';
import path from 'node:path';
import {
  JailerArguments,
  VmmArguments,
  parseVmmId,
  type Resource,
  type ResourceType,
} from '@kindling/vmm-core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { JailedExecutor, UnrestrictedExecutor, type VmmExecutorContext } from '../src/index.js';
import {
  createHarness,
  jailOwner,
  jailOwnership,
  listTree,
  waitForFile,
  waitForSocket,
  type Harness,
} from './support/harness.js';

// Security cases for what names a VM's files: ids, resource names and paths. Each is refused
// with a KindlingError naming the field before anything is spawned or created, or made harmless:
// a name that holds shell code reaches Firecracker as one argv word (no shell ever reads it), and
// a path that climbs out of the jail lands inside it.

let harness: Harness;
let marker: string;

beforeEach(async () => {
  harness = await createHarness();
  marker = path.join(harness.dir, 'pwned');
});

afterEach(async () => {
  await harness.dispose();
});

const jailBase = () => path.join(harness.dir, 'jails');
const rootOf = (id: string) => path.join(jailBase(), 'firecracker', id, 'root');

// Everything under the harness folder but the jails: what a jailed VM must never touch.
const listOutsideJails = async () =>
  (await listTree(harness.dir)).filter((entry) => !entry.startsWith('jails'));

const createJailedExecutor = (
  vmmArguments: VmmArguments,
  id = 'vm-sec',
  resolveVirtualPath?: (hostPath: string) => string,
) =>
  new JailedExecutor({
    vmmArguments,
    jailerArguments: new JailerArguments({
      id: parseVmmId(id),
      execFile: harness.installation.firecrackerPath,
      ...jailOwner,
      chrootBaseDir: jailBase(),
    }),
    ...(resolveVirtualPath === undefined ? {} : { resolveVirtualPath }),
  });

// Starts the VMM, waits for its API socket, then kills it and cleans up; returns its exit.
const runOnce = async (
  executor: JailedExecutor | UnrestrictedExecutor,
  context: VmmExecutorContext,
  whileRunning: () => Promise<void> = () => Promise.resolve(),
) => {
  await executor.prepare(context);
  const handle = harness.track(await executor.invoke(context));
  await waitForSocket(String(executor.getSocketPath(context)));
  await whileRunning();
  handle.kill();
  const exit = await handle.wait();
  await executor.cleanup(context);
  return exit;
};

const HOSTILE_IDS = [
  ['a parent folder', '..'],
  ['a path climbing out', '../../etc'],
  ['a slash', 'a/b'],
  ['an absolute path', '/etc/passwd'],
  ['a NUL', 'vm\0evil'],
  ['a space', 'vm 1'],
  ['a semicolon', 'vm;touch pwned'],
  ['a command substitution', '$(touch pwned)'],
  ['backticks', '`touch pwned`'],
  ['a single quote', "vm'1"],
  ['a double quote', 'vm"1'],
  ['a newline', 'vm\ntouch'],
  ['a leading "--" (the next flag to Firecracker)', '--no-seccomp'],
] as const;

describe('ids', () => {
  it.each(HOSTILE_IDS)(
    'refuses an id with %s for Firecracker and the jailer, creating nothing',
    async (_what, id) => {
      const before = await listTree(harness.dir);
      // The arguments parse their options again: an id that skipped parseVmmId is checked too.
      expect(() => new VmmArguments({ id })).toThrow(
        expect.objectContaining({
          code: 'ERR_INVALID_INPUT',
          message: expect.stringMatching(/^vmmArguments\.id: /u),
        }),
      );
      expect(
        () =>
          new JailerArguments({
            id,
            execFile: harness.installation.firecrackerPath,
            ...jailOwner,
            chrootBaseDir: jailBase(),
          }),
      ).toThrow(
        expect.objectContaining({
          code: 'ERR_INVALID_INPUT',
          message: expect.stringMatching(/^jailerArguments\.id: /u),
        }),
      );
      expect(() => parseVmmId(id, 'options.id')).toThrow(
        expect.objectContaining({ message: expect.stringMatching(/^options\.id: /u) }),
      );
      expect(await listTree(harness.dir)).toEqual(before);
    },
  );
});

const HOSTILE_NAMES = [
  ['a command substitution', (target: string) => `$(touch ${target})`],
  ['backticks', (target: string) => `\`touch ${target}\``],
  ['a semicolon and spaces', (target: string) => `x; touch ${target}`],
  ['quotes', (target: string) => `'"; touch ${target}; "'`],
  ['a newline', (target: string) => `x\ntouch ${target}\n`],
  ['a leading dash', (target: string) => `-rf --help $(touch ${target})`],
] as const;

describe('resource names holding shell code', () => {
  it.each(HOSTILE_NAMES)(
    'creates a jailed log file and metrics FIFO named with %s in the jail, running nothing',
    async (_what, name) => {
      const context = harness.createContext(jailOwnership);
      const { resourceSystem } = context;
      // The marker's slashes make sub-folders of the resource's folder: still one name.
      const log = resourceSystem.createResource(`/logs/${name(marker)}.log`, {
        kind: 'created',
        fileType: 'file',
      });
      const metrics = resourceSystem.createResource(`/metrics/${name(marker)}.fifo`, {
        kind: 'created',
        fileType: 'fifo',
      });
      const executor = createJailedExecutor(
        new VmmArguments({ logPath: log, level: 'Info', metricsPath: metrics }),
      );
      const outside = await listOutsideJails();
      await runOnce(executor, context, async () => {
        expect(log.effectivePath.startsWith(`${rootOf('vm-sec')}/logs/`)).toBe(true);
        expect((await lstat(metrics.effectivePath)).isFIFO()).toBe(true);
        // Firecracker opened the log by its exact name and wrote to it.
        await waitForFile(log.effectivePath);
      });
      expect(existsSync(marker)).toBe(false);
      expect(await listOutsideJails()).toEqual(outside);
      expect(existsSync(jailBase())).toBe(false);
    },
  );

  it.each(HOSTILE_NAMES)(
    'moves a user file named with %s into the jail under that one name',
    async (_what, name) => {
      const context = harness.createContext(jailOwnership);
      // The moved file's name is its last path component: a relative marker keeps it whole.
      const metadata = await harness.writeUserFile(`in/${name('pwned')}.json`, '{"k":"v"}');
      const resource = context.resourceSystem.createResource(metadata, {
        kind: 'moved',
        method: 'copy',
      });
      const executor = createJailedExecutor(new VmmArguments({ metadata: resource }));
      await runOnce(executor, context, async () => {
        expect(resource.virtualPath).toBe(`/${path.basename(metadata)}`);
        expect(await readFile(resource.effectivePath, 'utf8')).toBe('{"k":"v"}');
      });
      expect(existsSync(marker)).toBe(false);
      expect(await listTree(harness.dir)).not.toContain('pwned');
      expect(await readFile(metadata, 'utf8')).toBe('{"k":"v"}');
    },
  );

  it('runs an unrestricted VM whose socket and log names hold shell code, running nothing', async () => {
    const context = harness.createContext();
    // Short names: a socket path must fit in 108 bytes (sockaddr_un), so the marker is relative
    // to the harness folder, where it is looked for, and to the socket's own folder.
    const folder = path.join(harness.dir, `r $(touch p) ;'\`touch p\`'`);
    const log = context.resourceSystem.createResource(path.join(folder, `l;$(touch p)`), {
      kind: 'created',
      fileType: 'fifo',
    });
    const executor = new UnrestrictedExecutor({
      vmmArguments: new VmmArguments({
        apiSocket: path.join(folder, `a;$(touch p)'"`),
        id: parseVmmId('vm-sec'),
        logPath: log,
      }),
    });
    await runOnce(executor, context, async () => {
      expect((await lstat(log.effectivePath)).isFIFO()).toBe(true);
      expect((await lstat(String(executor.getSocketPath(context)))).isSocket()).toBe(true);
    });
    expect(await listTree(harness.dir)).not.toContain('p');
    expect(existsSync(path.join(process.cwd(), 'p'))).toBe(false);
    expect(existsSync(folder)).toBe(false);
  });

  it.each<[string, ResourceType]>([
    ['a created file', { kind: 'created', fileType: 'file' }],
    ['a produced file', { kind: 'produced' }],
  ])('refuses %s named by a path with a NUL byte or a relative path', (_what, type) => {
    const { resourceSystem } = harness.createContext(jailOwnership);
    for (const at of ['/logs/fc\0.log', 'logs/../../etc/passwd']) {
      expect(() => resourceSystem.createResource(at, type)).toThrow(
        expect.objectContaining({
          code: 'ERR_INVALID_INPUT',
          message: expect.stringMatching(
            /^createResource\.initialPath: expected an absolute path without NUL/u,
          ),
        }),
      );
    }
    expect(resourceSystem.resources).toEqual([]);
  });

  it.each([
    ['logPath', { logPath: '/logs/fc\0.log' }],
    ['metricsPath', { metricsPath: '/m\0' }],
    ['apiSocket', { apiSocket: '/run/api\0.sock' }],
    ['metadata', { metadata: '/mmds\0.json' }],
    ['seccompFilter', { seccompFilter: '/filter\0.bpf' }],
  ] as const)('refuses a %s with a NUL byte', (field, options) => {
    expect(() => new VmmArguments(options)).toThrow(
      expect.objectContaining({
        code: 'ERR_INVALID_INPUT',
        message: expect.stringMatching(new RegExp(`^vmmArguments\\.${field}: .*NUL`, 'u')),
      }),
    );
  });
});

describe('paths that climb out of the jail', () => {
  it('puts a created resource at /../../<outside> inside the jail, never outside it', async () => {
    const context = harness.createContext(jailOwnership);
    const escape = path.join(harness.dir, 'escaped.log');
    const climbing = `/../../../../../../..${escape}`;
    const log = context.resourceSystem.createResource(climbing, {
      kind: 'created',
      fileType: 'file',
    });
    const executor = createJailedExecutor(new VmmArguments({ logPath: log }));
    await runOnce(executor, context, async () => {
      expect(log.effectivePath).toBe(path.join(rootOf('vm-sec'), escape));
      await waitForFile(log.effectivePath);
      expect(existsSync(escape)).toBe(false);
    });
    expect(existsSync(escape)).toBe(false);
  });

  it('binds a jailed API socket given as ../../<outside> inside the jail', async () => {
    const context = harness.createContext(jailOwnership);
    const outsideSocket = path.join(harness.dir, 'escaped.sock');
    const executor = createJailedExecutor(
      new VmmArguments({ apiSocket: `../../../../../../../..${outsideSocket}` }),
    );
    expect(executor.getSocketPath(context)).toBe(path.join(rootOf('vm-sec'), outsideSocket));
    await runOnce(executor, context, () => {
      expect(existsSync(outsideSocket)).toBe(false);
      return Promise.resolve();
    });
    expect(existsSync(outsideSocket)).toBe(false);
  });

  it('refuses a resolver that places a moved file at a relative or root path (ERR_VIRTUAL_PATH)', async () => {
    for (const escape of ['../../etc/passwd', '/', '/..', 'vmlinux']) {
      const context = harness.createContext(jailOwnership);
      context.resourceSystem.createResource(await harness.writeUserFile('images/vmlinux'), {
        kind: 'moved',
        method: 'copy',
      });
      const executor = createJailedExecutor(new VmmArguments(), 'vm-sec', () => escape);
      await expect(executor.prepare(context)).rejects.toMatchObject({
        code: 'ERR_VIRTUAL_PATH',
        message: expect.stringContaining(JSON.stringify(escape)),
      });
      expect(await listTree(jailBase())).toEqual([]);
    }
  });

  it('keeps a resolver that climbs with /../.. inside the jail', async () => {
    const context = harness.createContext(jailOwnership);
    const kernel: Resource = context.resourceSystem.createResource(
      await harness.writeUserFile('images/vmlinux'),
      { kind: 'moved', method: 'hard-link' },
    );
    const escape = path.join(harness.dir, 'escaped-vmlinux');
    const executor = createJailedExecutor(
      new VmmArguments(),
      'vm-sec',
      () => `/../../../../../..${escape}`,
    );
    await executor.prepare(context);
    expect(kernel.effectivePath).toBe(path.join(rootOf('vm-sec'), escape));
    expect(existsSync(escape)).toBe(false);
    await executor.cleanup(context);
    expect(existsSync(jailBase())).toBe(false);
  });

  it('refuses a moved file whose path names a folder (images/..), creating nothing', async () => {
    const context = harness.createContext(jailOwnership);
    await harness.writeUserFile('images/vmlinux');
    context.resourceSystem.createResource(path.join(harness.dir, 'images/..'), {
      kind: 'moved',
      method: 'copy',
    });
    await expect(createJailedExecutor(new VmmArguments()).prepare(context)).rejects.toMatchObject({
      code: 'ERR_PREPARE_FAILED',
      message: expect.stringContaining('is a directory; a resource is a file'),
    });
    expect(await listTree(jailBase())).toEqual([]);
  });
});
