// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeStateFile, type SnapshotState } from '../src/snapshot/state-file.js';
import {
  firecrackerCommand,
  REAL_FIRECRACKER,
  startFidelityVm,
  type FakeVm,
} from './support/fake-vm.js';
import { writeFakeKernel } from '../src/testing/fake-kernel.js';

// firecracker.md sections 4, 5 and 7: the command line, its errors and exit codes.

interface Run {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

const runBin = async (args: readonly string[], env: Record<string, string> = {}): Promise<Run> => {
  const command = firecrackerCommand(args, REAL_FIRECRACKER);
  const child = spawn(command.file, command.args, {
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    signal: AbortSignal.timeout(10_000),
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const [code, signal] = (await once(child, 'exit')) as [number | null, NodeJS.Signals | null];
  return { code, signal, stdout, stderr };
};

const signalFake = (vm: FakeVm, signal: NodeJS.Signals): void => {
  if (vm.pid === undefined) {
    throw new Error('the fake was not spawned');
  }
  process.kill(vm.pid, signal);
};

const LOG_LINE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{9} \[anonymous-instance:main\] /u;

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kindling-fake-cli-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

// Firecracker logs its exit on stdout (the log's default destination) after what it printed.
const EXITED_OK_AFTER = (printed: string): RegExp =>
  new RegExp(
    `^${printed}\\S+ \\[anonymous-instance:main\\] Firecracker exiting successfully\\. exit_code=0\\n$`,
    'u',
  );

// A `--help` row: two spaces, the usage padded to the widest usage plus three.
const pad = (usage: string): string => `  ${usage.padEnd(58)}`;

describe('informational flags', () => {
  it('--version prints "Firecracker v1.16.1" and an empty line', async () => {
    const run = await runBin(['--version']);
    expect(run).toEqual({
      code: 0,
      signal: null,
      stdout: expect.stringMatching(EXITED_OK_AFTER('Firecracker v1\\.16\\.1\\n\\n')),
      stderr: '',
    });
  });

  it.each([['--help'], ['-h'], ['--bogus', '--help']])(
    '%s prints the version line and every flag',
    async (...args) => {
      const run = await runBin(args);
      expect(run.code).toBe(0);
      expect(
        run.stdout.startsWith(
          `Firecracker v1.16.1\n\noptional arguments:\n${pad('--api-sock <api-sock>')}Path to unix domain socket used by the API. [default: "/run/firecracker.socket"]\n`,
        ),
      ).toBe(true);
      expect(run.stdout).toContain(`\n${pad('--help')}Show the help message.\n`);
      expect(run.stdout).toContain(
        `\n${pad('--no-api')}Optional parameter which allows starting and using a microVM without an active API socket.\n`,
      );
      expect(run.stdout).toMatch(
        /\n {2}--version {49}Print the binary version number\.\n\S+ \[anonymous-instance:main\] Firecracker exiting successfully\. exit_code=0\n$/u,
      );
    },
  );

  it('does not honour --version after the -- separator', async () => {
    const run = await runBin(['--bogus', '--', '--version']);
    expect(run.code).toBe(153);
  });

  it('--snapshot-version prints v10.0.0', async () => {
    expect(await runBin(['--snapshot-version'])).toMatchObject({
      code: 0,
      stdout: expect.stringMatching(EXITED_OK_AFTER('v10\\.0\\.0\\n')),
    });
  });

  it.skipIf(REAL_FIRECRACKER !== undefined)(
    "--describe-snapshot prints the state file version (skipped on a real binary: it reads the fake's own state-file format)",
    async () => {
      const state: SnapshotState = {
        arch: 'x86_64',
        snapshotType: 'Full',
        instanceId: 'a',
        memSizeMib: 128,
        createdAtMs: 0,
        vcpus: [],
        vmConfig: {},
        guest: {},
      };
      await writeFile(join(dir, 'v9.state'), encodeStateFile(state, 'v9.2.0'));
      expect(await runBin(['--describe-snapshot', join(dir, 'v9.state')])).toMatchObject({
        code: 0,
        stdout: expect.stringMatching(EXITED_OK_AFTER('v9\\.2\\.0\\n')),
      });
    },
  );

  it('--describe-snapshot of a missing file exits 1', async () => {
    const run = await runBin(['--describe-snapshot', join(dir, 'missing.state')]);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(
      'When printing Snapshot Data format: Unable to open snapshot state file: No such file or directory (os error 2)',
    );
  });

  it('--describe-snapshot of a file that is not a state file exits 1', async () => {
    await writeFile(join(dir, 'junk.state'), 'x'.repeat(64));
    const run = await runBin(['--describe-snapshot', join(dir, 'junk.state')]);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('Invalid data format version of snapshot file');
  });
});

describe('argument errors exit 153', () => {
  it.each([
    [
      ['--api-sock=/tmp/x'],
      "Found argument 'api-sock=/tmp/x' which wasn't expected, or isn't valid in this context.",
      'UnexpectedArgument("api-sock=/tmp/x")',
    ],
    [
      ['foo'],
      "Found argument 'foo' which wasn't expected, or isn't valid in this context.",
      'UnexpectedArgument("foo")',
    ],
    [
      ['--nope'],
      "Found argument 'nope' which wasn't expected, or isn't valid in this context.",
      'UnexpectedArgument("nope")',
    ],
    [
      ['--id', 'a', '--id', 'b'],
      "The argument 'id' was provided more than once.",
      'DuplicateArgument("id")',
    ],
    [
      ['--enable-pci', '--enable-pci'],
      "The argument 'enable-pci' was provided more than once.",
      'DuplicateArgument("enable-pci")',
    ],
    [['--id'], "The argument 'id' requires a value, but none was supplied.", 'MissingValue("id")'],
    [
      ['--log-path', '--no-api'],
      "The argument 'log-path' requires a value, but none was supplied.",
      'MissingValue("log-path")',
    ],
    [
      ['--no-api'],
      "Argument 'config-file' required, but not found.",
      'MissingArgument("config-file")',
    ],
    [
      ['--no-seccomp', '--seccomp-filter', 'f'],
      "Argument 'seccomp-filter' cannot be used together with argument 'no-seccomp'.",
      'ForbiddenArgument("no-seccomp", "seccomp-filter")',
    ],
  ])('%j', async (args, message, debug) => {
    const run = await runBin(args);
    expect(run.code).toBe(153);
    expect(run.stderr).toBe(`Error: ParseArguments(${debug})\n`);
    const lines = run.stdout.split('\n');
    expect(lines[0]).toMatch(LOG_LINE);
    expect(run.stdout).toContain(
      // The message holds a backslash and an n, twice, not line breaks.
      `Arguments parsing error: ${message} \\n\\nFor more information try --help.\n`,
    );
    expect(run.stdout).toMatch(/Firecracker exiting with error\. exit_code=153\n$/u);
  });
});

describe('start-up failures', () => {
  it('exits 152 for an invalid --level', async () => {
    const run = await runBin(['--level', 'loud', '--api-sock', join(dir, 'level.sock')]);
    expect(run.code).toBe(152);
    expect(run.stdout).toContain(
      'Invalid value for logger level: Failed to parse string to level filter: loud.Possible values: [Error, Warning, Info, Debug]',
    );
  });

  it.each([
    [['--id', 'bad_id'], "Invalid instance ID: InvalidChar('_', 3)", '309:48'],
    [['--id', 'x'.repeat(65)], 'Invalid instance ID: InvalidLen(65, 1, 64)', '309:48'],
    [
      ['--http-api-max-payload-size', 'lots'],
      "'http-api-max-payload-size' parameter expected to be of 'usize' type.: ParseIntError { kind: InvalidDigit }",
      '403:18',
    ],
    [
      ['--mmds-size-limit', 'lots'],
      "'mmds-size-limit' parameter expected to be of 'usize' type.: ParseIntError { kind: InvalidDigit }",
      '415:18',
    ],
    [
      ['--start-time-us', '-1'],
      "'start-time-us' parameter expected to be of 'u64' type.: ParseIntError { kind: InvalidDigit }",
      '427:18',
    ],
    [
      ['--parent-cpu-time-us', 'x'],
      "'parent-cpu-time-us' parameter expected to be of 'u64' type.: ParseIntError { kind: InvalidDigit }",
      '437:18',
    ],
    [
      ['--config-file', '/nonexistent/vm.json'],
      'Unable to open or read from the configuration file: Os { code: 2, kind: NotFound, message: "No such file or directory" }',
      '388:20',
    ],
    [
      ['--metadata', '/nonexistent/mmds.json'],
      'Unable to open or read from the mmds content file: Os { code: 2, kind: NotFound, message: "No such file or directory" }',
      '393:20',
    ],
  ])('panics (SIGABRT) for %j', async (args, message, location) => {
    const run = await runBin(['--api-sock', join(dir, 'panic.sock'), ...args]);
    expect(run.signal).toBe('SIGABRT');
    expect(run.stdout).toContain(
      `Firecracker panicked at src/firecracker/src/main.rs:${location}:\n`,
    );
    expect(run.stdout).toContain(`\n${message}\n`);
  });

  it('accepts an id of 64 Unicode alphanumerics and hyphens', async () => {
    await using vm = await startFidelityVm({ spawn: true, args: ['--id', `é-${'a'.repeat(61)}`] });
    expect(JSON.parse((await vm.api('GET', '/')).body)).toMatchObject({
      id: `é-${'a'.repeat(61)}`,
    });
  });

  it('exits 1 when the API socket path exists, and leaves the file alone', async () => {
    const path = join(dir, 'taken.sock');
    await writeFile(path, 'not a socket');
    const run = await runBin(['--api-sock', path]);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(
      new RegExp(
        `\\[anonymous-instance:main\\] RunWithApiError error: Failed to open the API socket at: ${path}\\. Check that it is not already used\\.\\n\\S+ \\[anonymous-instance:main\\] Firecracker exiting with error\\. exit_code=1\\n$`,
        'u',
      ),
    );
    expect(run.stderr).toBe(`Error: RunWithApi(FailedToBindSocket(${JSON.stringify(path)}))\n`);
    expect(await readFile(path, 'utf8')).toBe('not a socket');
  });

  it('exits 1 when --metrics-path cannot be opened', async () => {
    const run = await runBin([
      '--api-sock',
      join(dir, 'm.sock'),
      '--metrics-path',
      '/nonexistent/metrics',
    ]);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(
      'Could not initialize metrics: Cannot initialize the metrics system due to bad user input: No such file or directory (os error 2)',
    );
  });
});

const writeConfig = async (name: string, config: unknown): Promise<string> => {
  await writeFakeKernel(join(dir, 'vmlinux'));
  await writeFile(join(dir, 'rootfs'), 'rootfs');
  const path = join(dir, name);
  await writeFile(path, JSON.stringify(config));
  return path;
};
const bootConfig = () => ({
  'boot-source': {
    kernel_image_path: join(dir, 'vmlinux'),
    boot_args: 'console=ttyS0 reboot=k panic=1',
  },
  drives: [{ drive_id: 'rootfs', path_on_host: join(dir, 'rootfs'), is_root_device: true }],
  'machine-config': { vcpu_count: 2, mem_size_mib: 256 },
  'unknown-top-level-key': 'ignored',
});

describe('--config-file and --no-api', () => {
  it.skipIf(REAL_FIRECRACKER !== undefined)(
    'boots straight away and keeps the API up (skipped on a real binary: needs a running guest)',
    async () => {
      const config = await writeConfig('ok.json', bootConfig());
      await using vm = await startFidelityVm({ spawn: true, args: ['--config-file', config] });
      await vm.waitForStdout('kindling-fake-guest: ready');
      expect(JSON.parse((await vm.api('GET', '/')).body)).toMatchObject({ state: 'Running' });
      expect(vm.stdout()).toContain(
        'Successfully started microvm that was configured from one single json',
      );
      expect(
        (await vm.api('PUT', '/machine-config', { vcpu_count: 1, mem_size_mib: 128 })).status,
      ).toBe(400);
    },
  );

  it.skipIf(REAL_FIRECRACKER !== undefined)(
    'boots without an API socket with --no-api, and exits 0 when the guest reboots (skipped on a real binary: needs a running guest)',
    async () => {
      const config = await writeConfig('noapi.json', bootConfig());
      await using vm = await startFidelityVm({
        spawn: true,
        apiSock: false,
        args: ['--no-api', '--config-file', config],
      });
      await vm.waitForStdout('kindling-fake-guest: ready');
      expect(vm.stdout()).not.toContain('API server started');
      vm.typeOnSerial('reboot');
      expect(await vm.exited).toEqual({ code: 0, signal: null });
      expect(vm.stdout()).toMatch(/Firecracker exiting successfully\. exit_code=0\n$/u);
    },
  );

  it('exits 1 for a document without drives', async () => {
    const { drives: _drives, ...config } = bootConfig();
    const path = await writeConfig('nodrives.json', config);
    await using vm = await startFidelityVm({
      spawn: true,
      waitForApi: false,
      args: ['--config-file', path],
    });
    expect((await vm.exited).code).toBe(1);
    expect(vm.stdout()).toMatch(
      /Configuration for VMM from one single json failed: Invalid JSON: missing field `drives` at line 1 column \d+/u,
    );
  });

  it('exits 1 when a section is invalid', async () => {
    const path = await writeConfig('badmachine.json', {
      ...bootConfig(),
      'machine-config': { vcpu_count: 0, mem_size_mib: 128 },
    });
    await using vm = await startFidelityVm({
      spawn: true,
      waitForApi: false,
      args: ['--config-file', path],
    });
    expect((await vm.exited).code).toBe(1);
    expect(vm.stdout()).toContain(
      '[anonymous-instance:main] RunWithApiError error: Failed to build MicroVM from Json: Configuration for VMM from one single json failed: VM config error: The number of vCPUs must be greater than 0, less than 32 and must be 1 or an even number if SMT is enabled.\n',
    );
    expect(vm.stdout()).not.toContain('Vmm is stopping');
    expect(vm.stderr()).toBe(
      'Error: RunWithApi(BuildFromJson(ParseFromJson(MachineConfig(InvalidVcpuCount))))\n',
    );
  });

  it("exits 1 with Firecracker's words when a drive file is missing", async () => {
    const missing = join(dir, 'missing.ext4');
    const path = await writeConfig('nodrive.json', {
      ...bootConfig(),
      drives: [
        { drive_id: 'root', path_on_host: missing, is_root_device: true, is_read_only: false },
      ],
    });
    await using vm = await startFidelityVm({
      spawn: true,
      waitForApi: false,
      args: ['--config-file', path],
    });
    expect((await vm.exited).code).toBe(1);
    const lines = vm.stdout().replaceAll(/^\S+ /gmu, '');
    expect(lines).toBe(
      [
        '[anonymous-instance:main] Running Firecracker v1.16.1',
        `[anonymous-instance:main] Listening on API socket (${JSON.stringify(vm.socketPath)}).`,
        '[anonymous-instance:fc_api] API server started.',
        `[anonymous-instance:main] RunWithApiError error: Failed to build MicroVM from Json: Configuration for VMM from one single json failed: Block device error: Unable to create the virtio block device: Virtio backend error: Error manipulating the backing file: No such file or directory (os error 2) ${missing}`,
        '[anonymous-instance:main] Firecracker exiting with error. exit_code=1',
        '',
      ].join('\n'),
    );
    expect(vm.stderr()).toBe(
      `Error: RunWithApi(BuildFromJson(ParseFromJson(BlockDevice(CreateBlockDevice(VirtioBackend(BackingFile(Os { code: 2, kind: NotFound, message: "No such file or directory" }, ${JSON.stringify(missing)})))))))\n`,
    );
  });

  it('exits 1 when the kernel is not an ELF image, with or without the API', async () => {
    const notElf = join(dir, 'not-elf');
    await writeFile(notElf, 'not an ELF image');
    const path = await writeConfig('notelf.json', {
      ...bootConfig(),
      'boot-source': { kernel_image_path: notElf },
    });
    const loaderError =
      'Could not Start MicroVM from one single json: System configuration error: Cannot load kernel due to invalid memory configuration or invalid kernel image: Kernel Loader: failed to load ELF kernel image: Kernel Loader: Unable to read elf header';
    await using vm = await startFidelityVm({
      spawn: true,
      waitForApi: false,
      args: ['--config-file', path],
    });
    expect((await vm.exited).code).toBe(1);
    expect(vm.stdout()).toContain(
      `RunWithApiError error: Failed to build MicroVM from Json: ${loaderError}\n`,
    );
    expect(vm.stderr()).toBe(
      'Error: RunWithApi(BuildFromJson(StartMicroVM(ConfigureSystem(KernelLoader(Elf(ReadElfHeader))))))\n',
    );
    await using noApi = await startFidelityVm({
      spawn: true,
      apiSock: false,
      args: ['--no-api', '--config-file', path],
    });
    expect((await noApi.exited).code).toBe(1);
    expect(noApi.stdout()).toContain(
      `RunWithoutApiError error: Failed to build MicroVM from Json: ${loaderError}\n`,
    );
    expect(noApi.stderr()).toBe(
      'Error: RunWithoutApiError(BuildMicroVMFromJson(StartMicroVM(ConfigureSystem(KernelLoader(Elf(ReadElfHeader))))))\n',
    );
  });

  it('seeds MMDS from --metadata', async () => {
    const metadata = join(dir, 'metadata.json');
    await writeFile(metadata, '{"b": 2, "a": {"x": [1, 2.5]}}');
    await using vm = await startFidelityVm({ spawn: true, args: ['--metadata', metadata] });
    expect((await vm.api('GET', '/mmds')).body).toBe('{"a":{"x":[1,2.5]},"b":2}');
  });
});

describe('exit', () => {
  it.skipIf(REAL_FIRECRACKER !== undefined)(
    'exits 0 after SendCtrlAltDel and leaves the API socket file behind (skipped on a real binary: needs a running guest)',
    async () => {
      await using vm = await startFidelityVm({ spawn: true });
      await writeFakeKernel(vm.path('vmlinux'));
      await vm.api('PUT', '/boot-source', { kernel_image_path: vm.path('vmlinux') });
      await vm.api('PUT', '/actions', { action_type: 'InstanceStart' });
      expect((await vm.api('PUT', '/actions', { action_type: 'SendCtrlAltDel' })).status).toBe(204);
      expect(await vm.exited).toEqual({ code: 0, signal: null });
      expect(existsSync(vm.socketPath)).toBe(true);
    },
  );

  it.each([
    ['SIGHUP', 156],
    ['SIGXCPU', 154],
    ['SIGXFSZ', 151],
  ] as const)('exits %s with its own code %d', async (signal, code) => {
    await using vm = await startFidelityVm({ spawn: true });
    signalFake(vm, signal);
    expect(await vm.exited).toEqual({ code, signal: null });
    expect(vm.stdout()).toContain(`Shutting down VM after intercepting signal`);
  });

  it('dies of SIGTERM (not handled)', async () => {
    await using vm = await startFidelityVm({ spawn: true });
    signalFake(vm, 'SIGTERM');
    expect(await vm.exited).toEqual({ code: null, signal: 'SIGTERM' });
  });
});
