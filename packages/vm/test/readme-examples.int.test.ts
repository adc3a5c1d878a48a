// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { copyFile, mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { defaultApiSocketFolder } from '@kindling/executor';
import {
  buildFakeEnv,
  createFakeInstallation,
  startFakeFirecracker,
  writeFakeKernel,
} from '@kindling/fake-vmm';
import { TEST_WAIT_MS, createTempFolder, isRoot, type TempFolder } from '@kindling/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readAllReadmeBlocks, type ReadmeBlock } from './support/readme-blocks.ts';
import {
  expectCompleted,
  expectThrew,
  oneLine,
  runExample,
  substitute,
  type ExampleOutcome,
} from './support/readme-run.ts';
import { typeCheckBlocks } from './support/readme-typecheck.ts';

// Every ```ts block of every README is type-checked as it is written, and run for real against
// the fakes unless it cannot run here; then the reason is below. Blocks are named
// `<readme> § <heading>` (and ` (n)` for the n-th under one heading).
const NOT_RUN: Record<string, string> = {
  'packages/spawner/README.md § Usage (2)': 'sudo asks for a password nobody here has',
  'packages/vmm-core/README.md § Installation (2)': 'it downloads a release from the internet',
  'packages/vmm-core/README.md § Ownership':
    'it hands files to uid 1000 (root only) and runs chown through sudo',
};

// What the README states around a fragment (earlier imports and variables, a value the reader
// brings), declared for the type check.
const TYPE_PRELUDES: Record<string, string> = {
  'packages/spawner/README.md § Usage (2)': 'declare function readPasswordSomehow(): string;',
  'packages/vmm-core/README.md § Command modifiers': `import type { VmmArguments } from '@kindling/vmm-core';
declare const vmm: VmmArguments;`,
  'packages/process/README.md § Waiting for a socket': `import type { SpawnedProcess } from '@kindling/spawner';
declare const signal: AbortSignal;
declare const child: SpawnedProcess;
declare const lastLines: string;`,
  'packages/vm/README.md § @kindling/vm (2)': `import { VmmArguments, type VmmInstallation } from '@kindling/vmm-core';
declare const installation: VmmInstallation;`,
  'packages/vm/README.md § Talking with the guest: vsock and the serial console': `import type { Vm } from '@kindling/vm';
declare const vm: Vm;
declare const signal: AbortSignal;`,
};

const without = (ids: readonly string[], others: readonly string[]): string[] =>
  ids.filter((id) => !others.includes(id));

const typePrelude = (example: ReadmeBlock): string => TYPE_PRELUDES[example.id] ?? '';

let blocks: Map<string, ReadmeBlock>;
let folder: TempFolder;
let bin: { firecrackerPath: string; jailerPath: string; snapshotEditorPath: string };
let kernel: string;

const block = (id: string): ReadmeBlock => {
  const found = blocks.get(id);
  expect(
    found,
    `no README block ${id}: a heading changed? Blocks: ${[...blocks.keys()].join(', ')}`,
  ).toBeDefined();
  return found as ReadmeBlock;
};

// The paths of the binaries every example names, replaced by the fakes'.
const binaries = (): [string, string][] => [
  ['/usr/local/bin/firecracker', bin.firecrackerPath],
  ['/usr/local/bin/jailer', bin.jailerPath],
  ['/usr/local/bin/snapshot-editor', bin.snapshotEditorPath],
];

// A config file Firecracker boots from, for the examples that name one.
const writeConfigFile = async (name: string): Promise<string> => {
  const file = path.join(folder.path, name);
  await writeFile(
    file,
    JSON.stringify({
      'boot-source': { kernel_image_path: kernel, boot_args: 'console=ttyS0 reboot=k' },
      'machine-config': { vcpu_count: 1, mem_size_mib: 128 },
      drives: [],
    }),
  );
  return file;
};

// A zombie is gone too: an orphan waits for an init that may reap it late.
const isAlive = async (pid: number): Promise<boolean> => {
  const procStat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '');
  return procStat !== '' && procStat.slice(procStat.lastIndexOf(')') + 2)[0] !== 'Z';
};

// The reader's Firecracker, started through a spawner, and the lines it wrote so far.
const spawnedFirecracker = (
  socket: string,
  args: readonly string[],
): string => `import { DirectSpawner } from '@kindling/spawner';
const signal = AbortSignal.timeout(${TEST_WAIT_MS});
const child = await new DirectSpawner().spawn(${JSON.stringify(bin.firecrackerPath)}, ${JSON.stringify(['--api-sock', socket, ...args])}, {
  stdio: { stdin: 'ignore', stdout: 'pipe', stderr: 'pipe' },
});
let lastLines = '';
child.stdout?.on('data', (data) => { lastLines += String(data); });
`;

// The examples that run, each with what its comments say it prints and does.
const RUNS: Record<string, (block: ReadmeBlock) => Promise<void>> = {
  'README.md § Quick start': async (example) => {
    const code = substitute(example, [...binaries(), ['/images/vmlinux', kernel]]);
    const stdout = expectCompleted(example, await runExample(code));
    expect(stdout).toMatch(/^running kindling-[0-9a-f]{16}\n$/u);
    const id = stdout.trim().split(' ')[1];
    expect(existsSync(path.join(defaultApiSocketFolder(), `${id}.sock`))).toBe(false);
  },

  'packages/spawner/README.md § Usage': async (example) => {
    // `firecracker` is looked up on PATH, as a user's would be.
    const env = { PATH: `${path.dirname(bin.firecrackerPath)}:${process.env['PATH'] ?? ''}` };
    const stdout = expectCompleted(example, await runExample(example.code, { env }));
    expect(stdout).toMatch(/^Firecracker v1\.16\.1\n/u);
    expect(stdout).toContain('{ code: 0, signal: null }\n');
  },

  'packages/vmm-core/README.md § Ids': async (example) => {
    const outcome = await runExample(example.code);
    const stdout = expectThrew(
      example,
      outcome,
      'ERR_INVALID_INPUT',
      'id: must be 1 to 64 bytes of UTF-8',
    );
    expect(stdout).toBe('vm-1\ntrue\nfalse\n');
  },

  'packages/vmm-core/README.md § Firecracker and jailer arguments': async (example) => {
    const stdout = oneLine(expectCompleted(example, await runExample(example.code)));
    const id = /'(?<id>kindling-[0-9a-f]{16})'/u.exec(stdout)?.groups?.['id'];
    expect(stdout).toContain(
      `[ '--api-sock', '/run/firecracker.socket', '--id', '${id}', '--log-path', '/var/log/vm-1.log',`,
    );
    expect(stdout).toContain(` ${id} [ '--id', 'vm-1', `);
    // The jailer passes its own id: the generated one is dropped after `--`.
    expect(stdout).toMatch(
      /'--', '--api-sock', '\/run\/firecracker\.socket', '--log-path', '\/var\/log\/vm-1\.log', '--level', 'Debug', '--enable-pci' \] $/u,
    );
  },

  'packages/vmm-core/README.md § Command modifiers': async (example) => {
    // It continues the arguments' example, whose `vmm` it wraps.
    const code = `${block('packages/vmm-core/README.md § Firecracker and jailer arguments').code}${example.code}`;
    const stdout = oneLine(expectCompleted(example, await runExample(code)));
    expect(stdout).toMatch(
      /\{ binary: '\/usr\/sbin\/ip', args: \[ 'netns', 'exec', 'vm-1', '\/usr\/local\/bin\/firecracker', '--api-sock', '\/run\/firecracker\.socket', '--id', 'kindling-[0-9a-f]{16}',/u,
    );
  },

  'packages/vmm-core/README.md § Installation': async (example) => {
    // verify() resolves only when all three binaries print their names and version 1.16.1.
    const code = substitute(example, binaries());
    expect(expectCompleted(example, await runExample(code))).toBe('');
  },

  'packages/vmm-core/README.md § Resources': async (example) => {
    const jails = path.join(folder.path, 'resources-jails');
    // A kernel of its own: linking hands the inode to the jail's user for a while.
    const kernelCopy = path.join(folder.path, 'resources-images', 'vmlinux');
    await mkdir(path.dirname(kernelCopy));
    await copyFile(kernel, kernelCopy);
    const code = substitute(example, [
      ['/srv/jailer/', `${jails}/`],
      ['/images/vmlinux', kernelCopy],
      // Only root hands files to another user; anyone else to themselves.
      ...(isRoot
        ? []
        : [
            ['uid: 1000, gid: 100', `uid: ${process.getuid?.()}, gid: ${process.getgid?.()}`] as [
              string,
              string,
            ],
          ]),
    ]);
    expect(expectCompleted(example, await runExample(code))).toBe('/vmlinux\n');
    // Leaving the block disposed of the link, the FIFO and the folders made for them.
    expect(existsSync(jails)).toBe(false);
    expect((await stat(kernelCopy)).uid).toBe(process.getuid?.());
  },

  'packages/vmm-core/README.md § Firecracker API models': async (example) => {
    const configFile = await writeConfigFile('models-config.json');
    const code = substitute(example, [['/etc/vm-1.json', configFile]]);
    const stdout = expectThrew(
      example,
      await runExample(code),
      'ERR_INVALID_INPUT',
      'machineConfig.vcpu_count: must be 1 or an even number when smt is true (',
    );
    expect(stdout).toBe('');
  },

  'packages/executor/README.md § Usage': async (example) => {
    const socket = path.join(folder.path, 'executor-vm-1.sock');
    const configFile = await writeConfigFile('executor-vm-1.json');
    const code = substitute(example, [
      ...binaries(),
      ['/tmp/vm-1.sock', socket],
      ['/etc/vm-1.json', configFile],
    ]);
    const stdout = expectCompleted(example, await runExample(code));
    expect(stdout).toBe("{ kind: 'signaled', signal: 'SIGKILL' }\n");
    expect(existsSync(socket)).toBe(false);
  },

  'packages/executor/README.md § Usage (2)': async (example) => {
    const base = path.join(folder.path, 'executor-jails');
    const kernelCopy = path.join(folder.path, 'executor-images', 'vmlinux');
    await mkdir(path.dirname(kernelCopy));
    await copyFile(kernel, kernelCopy);
    const code = substitute(example, [
      ...binaries(),
      ['/srv/jailer', base],
      ['/images/vmlinux', kernelCopy],
      // Only root's jailer drops to another user; anyone else's jail is their own.
      ...(isRoot
        ? []
        : ([
            ['uid: 1000, gid: 1000', `uid: ${process.getuid?.()}, gid: ${process.getgid?.()}`],
            [
              'uid: 1000,\n    gid: 1000,',
              `uid: ${process.getuid?.()},\n    gid: ${process.getgid?.()},`,
            ],
          ] as [string, string][])),
    ]);
    const stdout = expectCompleted(example, await runExample(code));
    expect(stdout).toBe(
      `/vmlinux\n${base}/firecracker/vm-1/root/run/firecracker.socket\n{ kind: 'unknown' }\n`,
    );
    // The jail went, and with it the folders Kindling made for it; the kernel is the user's again.
    expect(existsSync(base)).toBe(false);
    expect((await stat(kernelCopy)).uid).toBe(process.getuid?.());
  },

  'packages/process/README.md § Usage': async (example) => {
    const socket = path.join(folder.path, 'process-vm-1.sock');
    const code = substitute(example, [
      ['/opt/firecracker/firecracker', bin.firecrackerPath],
      ['/opt/firecracker/jailer', bin.jailerPath],
      ['/opt/firecracker/snapshot-editor', bin.snapshotEditorPath],
      ['/tmp/vm-1.sock', socket],
      ['/images/vmlinux', kernel],
    ]);
    const stdout = expectCompleted(example, await runExample(code));
    // Firecracker's log, then the guest's console, then how it ended.
    expect(stdout).toContain('[vm-1:main] Running Firecracker v1.16.1\n');
    expect(stdout).toContain('Linux version');
    expect(stdout).toMatch(/\n\{ kind: 'exited', code: 0 \}\n$/u);
    expect(existsSync(socket)).toBe(false);
  },

  'packages/process/README.md § The API client on its own': async (example) => {
    await using fake = await startFakeFirecracker();
    const code = substitute(example, [['/tmp/fc.sock', fake.socketPath]]);
    const stdout = oneLine(expectCompleted(example, await runExample(code)));
    expect(stdout).toBe(
      `{ id: '${fake.id}', state: 'Not started', vmm_version: '1.16.1', app_name: 'Firecracker' } ` +
        '{ status: 204, body: undefined, deprecated: false } true ' +
        '400 PATCH /machine-config Empty PATCH request. fault_message ',
    );
  },

  'packages/process/README.md § Waiting for a socket': async (example) => {
    const socket = path.join(folder.path, 'wait-fc.sock');
    const code = substitute(example, [['/tmp/fc.sock', socket]]);
    const epilogue = "console.log('accepting');\nchild.kill('SIGKILL');\n";
    const ready = await runExample(`${spawnedFirecracker(socket, [])}${code}${epilogue}`);
    expect(expectCompleted(example, ready)).toBe('accepting\n');
    // A Firecracker that exits first (it refuses an unknown flag) fails the wait at once.
    const early = await runExample(`${spawnedFirecracker(socket, ['--bogus'])}${code}`);
    expectThrew(
      example,
      early,
      'ERR_SOCKET_WAIT_EXITED',
      'exited with code 153 before its API socket',
    );
    expect(early.stderr).toContain('Found argument');
  },

  'packages/process/README.md § Orphans and `reconcile()`': async (example) => {
    // A Node process starts a VMM and is killed by SIGKILL: no hook runs, the VMM stays, and
    // only its record tells. Records go to the default state folder under TMPDIR.
    const tmpdir = path.join(folder.path, 'reconcile-tmp');
    await mkdir(tmpdir);
    const socket = path.join(folder.path, 'orphan.sock');
    const parent = spawn(
      process.execPath,
      [
        '--input-type=module',
        '--eval',
        `import { UnrestrictedExecutor } from '@kindling/executor';
import { VmmProcess } from '@kindling/process';
import { DirectSpawner } from '@kindling/spawner';
import { ResourceSystem, VmmArguments, VmmInstallation } from '@kindling/vmm-core';
const vmm = new VmmProcess({
  executor: new UnrestrictedExecutor({ vmmArguments: new VmmArguments({ apiSocket: ${JSON.stringify(socket)} }) }),
  context: { installation: new VmmInstallation(${JSON.stringify(bin)}), spawner: new DirectSpawner(), resourceSystem: new ResourceSystem() },
});
await vmm.prepare();
await vmm.invoke();
console.log(vmm.pid);
setInterval(() => {}, 1_000);`,
      ],
      {
        cwd: path.join(import.meta.dirname, '..'),
        env: { ...process.env, TMPDIR: tmpdir },
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    const pid = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('the VMM did not start')), TEST_WAIT_MS);
      parent.stdout.once('data', (data: Buffer) => {
        clearTimeout(timer);
        resolve(Number(String(data).trim()));
      });
      parent.once('exit', (code) => reject(new Error(`the parent exited ${code}`)));
    });
    try {
      const parentGone = once(parent, 'exit');
      parent.kill('SIGKILL');
      await parentGone;
      expect(await isAlive(pid)).toBe(true);
      const outcome: ExampleOutcome = await runExample(example.code, { env: { TMPDIR: tmpdir } });
      const stdout = oneLine(expectCompleted(example, outcome));
      expect(stdout).toBe(
        `[ { pid: ${pid}, kind: 'attached', killed: true, removedPaths: [ '${socket}' ] } ] 0 `,
      );
      expect(await isAlive(pid)).toBe(false);
      expect(existsSync(socket)).toBe(false);
      expect(
        await readdir(path.join(tmpdir, `kindling-${process.getuid?.()}`, 'processes')),
      ).toEqual([]);
    } finally {
      if (await isAlive(pid)) {
        process.kill(pid, 'SIGKILL');
      }
    }
  },

  'packages/vm/README.md § @kindling/vm': async (example) => {
    const rootfs = path.join(folder.path, 'rootfs.ext4');
    await writeFile(rootfs, 'rootfs');
    // The temporary paths first: the others are under the temporary folder themselves.
    const code = substitute(example, [
      ["'/tmp/", `'${folder.path}/tmp/`],
      ["'/var/tmp/", `'${folder.path}/var-tmp/`],
      ...binaries(),
      ['/images/vmlinux', kernel],
      ['/images/rootfs.ext4', rootfs],
    ]);
    const output = expectCompleted(example, await runExample(code));
    // What the README's comments say each line prints.
    expect(output).toMatch(
      /^running \{\n {2}id: 'kindling-[0-9a-f]{16}',\n {2}state: 'Running',\n {2}vmm_version: '1\.16\.1',/u,
    );
    expect(output).toMatch(/\{\n {2}vcpu_count: 2,\n {2}mem_size_mib: 256,\n {2}smt: false,/u);
    expect(output).toMatch(/\nrunning\nctrl-alt-del true \{ kind: 'exited', code: 0 \}\n$/u);
    // The copies are the user's; everything else went with the VMs.
    expect(await readdir(path.join(folder.path, 'var-tmp'))).toEqual(['demo.mem', 'demo.state']);
    expect(existsSync(path.join(folder.path, 'tmp', 'demo'))).toBe(false);
    expect(existsSync(path.join(folder.path, 'tmp', 'demo-original.sock'))).toBe(false);
    expect(existsSync(path.join(folder.path, 'tmp', 'demo-restored.sock'))).toBe(false);
  },

  'packages/vm/README.md § @kindling/vm (2)': async (example) => {
    // It continues the first example: its installation, and VmmArguments imported.
    const prelude = `import { VmmArguments, VmmInstallation } from '@kindling/vmm-core';
const installation = new VmmInstallation(${JSON.stringify(bin)});
`;
    // Nothing runs without root: the executor is built, and knows where its jail will be.
    const epilogue = `import { DirectSpawner } from '@kindling/spawner';
import { ResourceSystem } from '@kindling/vmm-core';
console.log(
  executor.getSocketPath({ installation, spawner: new DirectSpawner(), resourceSystem: new ResourceSystem() }),
);
`;
    const stdout = expectCompleted(
      example,
      await runExample(`${prelude}${example.code}${epilogue}`),
    );
    expect(stdout).toBe('/srv/jailer/firecracker/demo/root/run/firecracker.socket\n');
  },

  'packages/vm/README.md § Talking with the guest: vsock and the serial console': async (
    example,
  ) => {
    // A running VM whose guest prints the marker the example waits for, with a vsock device.
    const guestBin = await createFakeInstallation(path.join(folder.path, 'guest-bin'), {
      env: buildFakeEnv({ bootMarker: 'my-guest: ready' }),
    });
    const prelude = `import { Vm } from '@kindling/vm';
import { VmmInstallation } from '@kindling/vmm-core';
const signal = AbortSignal.timeout(${TEST_WAIT_MS});
await using vm = await Vm.prepare({
  installation: new VmmInstallation(${JSON.stringify(guestBin)}),
  configuration: {
    bootSource: { kernel_image_path: ${JSON.stringify(kernel)}, boot_args: 'console=ttyS0 reboot=k' },
    machineConfig: { vcpu_count: 1, mem_size_mib: 128 },
    vsock: { guest_cid: 3, uds_path: ${JSON.stringify(path.join(folder.path, 'guest.vsock'))} },
  },
});
await vm.start();
`;
    // What the guest's echo (5000) and HTTP (8000) services answered, and the listener.
    const epilogue = `socket.resume();
socket.write('hello');
console.log(String(await new Promise((resolve) => socket.once('data', resolve))));
console.log(await body.text());
console.log(server.listening);
`;
    const stdout = expectCompleted(
      example,
      await runExample(`${prelude}${example.code}${epilogue}`),
    );
    expect(stdout).toBe('hello\n{"service":"kindling-fake-guest","port":8000}\ntrue\n');
    expect(existsSync(path.join(folder.path, 'guest.vsock'))).toBe(false);
    expect(existsSync(path.join(folder.path, 'guest.vsock_7000'))).toBe(false);
  },

  'packages/fake-vmm/README.md § Use it in your own tests': async (example) => {
    expect(expectCompleted(example, await runExample(example.code))).toBe('Running\n');
  },

  'packages/fake-vmm/README.md § Programmatic API': async (example) => {
    const epilogue =
      'console.log(JSON.stringify({ id: fake.id, dir: fake.dir, socketPath: fake.socketPath }));\n';
    const stdout = expectCompleted(example, await runExample(`${example.code}${epilogue}`));
    const lines = stdout.trimEnd().split('\n');
    const { id, dir, socketPath } = JSON.parse(lines.at(-1) ?? '{}') as Record<string, string>;
    expect(socketPath).toBe(`${dir}/jail/firecracker/${id}/root/run/firecracker.socket`);
    expect(oneLine(lines.slice(0, -1).join('\n'))).toMatch(
      /^200 \{ seq: 1, method: 'GET', path: '\/', body: null, status: 200, /u,
    );
    // Leaving the block removed the fake's whole folder.
    expect(existsSync(dir ?? '')).toBe(false);
  },
};

beforeAll(async () => {
  blocks = await readAllReadmeBlocks();
  folder = await createTempFolder('kindling-readme-');
  bin = { ...(await createFakeInstallation(path.join(folder.path, 'bin'))) };
  kernel = await writeFakeKernel(path.join(folder.path, 'vmlinux'));
});
afterAll(async () => {
  await folder[Symbol.asyncDispose]();
});

describe("the READMEs' examples", () => {
  it('are each run here, or say why not', () => {
    const ids = [...blocks.keys()];
    const run = Object.keys(RUNS);
    const notRun = Object.keys(NOT_RUN);
    expect(without(run, without(run, notRun)), 'both run and not run').toEqual([]);
    expect(without(ids, [...run, ...notRun]), 'README blocks neither run nor said why not').toEqual(
      [],
    );
    expect(
      without([...run, ...notRun, ...Object.keys(TYPE_PRELUDES)], ids),
      'checks of README blocks that do not exist (a heading changed?)',
    ).toEqual([]);
  });

  it('type-check as written', async () => {
    const errors = await typeCheckBlocks(
      [...blocks.values()].map((example) => ({ block: example, prelude: typePrelude(example) })),
    );
    expect(
      errors.map((error) => `${error.blockId} at ${error.where}: ${error.message}`).join('\n'),
    ).toBe('');
  });

  describe.concurrent('run as written, against the fakes', () => {
    // Bounded by the runs' own waits: an example, a VM it starts, a process it waits for.
    it.for(Object.entries(RUNS))('%s', { timeout: TEST_WAIT_MS * 3 }, async ([id, run]) => {
      expect(run).toBeTypeOf('function');
      await run(block(id));
    });
  });
});
