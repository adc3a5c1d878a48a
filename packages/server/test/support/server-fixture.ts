// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { writeFakeKernel } from '@kindling/fake-vmm';
import { FakeInstallationFolder, type FakeInstallationFolderOptions } from '@kindling/test-utils';
import { Agent, request, type Dispatcher } from 'undici';
import { startServer, type KindlingServer, type ServerConfigInput } from '../../src/index.js';

/** The fields of the API's JSON answers the tests read (each answer has some of them). */
export interface AnswerBody {
  readonly id?: string;
  readonly state?: string;
  readonly pid?: number;
  readonly source?: string;
  readonly labels?: Readonly<Record<string, string>>;
  readonly exit?: { readonly reason: string; readonly code?: number; readonly signal?: string };
  readonly vms?: readonly AnswerBody[];
  readonly error?: { readonly code: string; readonly message: string; readonly field?: string };
  readonly fault_message?: string;
  readonly recovered?: { readonly adopted: string[]; readonly cleanedUp: string[] };
  readonly [key: string]: unknown;
}

/** One answer of the API: its body parsed when it is JSON (else `{}`), and its text. */
export interface Answer {
  readonly status: number;
  readonly body: AnswerBody;
  readonly text: string;
  readonly headers: Record<string, string | string[] | undefined>;
}

/** Calls an API over a dispatcher (a Unix socket's Agent, or TCP). */
export class ApiCaller {
  readonly origin: string;
  readonly dispatcher: Dispatcher;
  readonly token: string | undefined;

  constructor(origin: string, dispatcher: Dispatcher, token?: string) {
    this.origin = origin;
    this.dispatcher = dispatcher;
    this.token = token;
  }

  async call(
    method: Dispatcher.HttpMethod,
    url: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<Answer> {
    const answer = await request(`${this.origin}${url}`, {
      method,
      dispatcher: this.dispatcher,
      headers: {
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(this.token === undefined ? {} : { authorization: `Bearer ${this.token}` }),
        ...headers,
      },
      ...(body === undefined
        ? {}
        : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    });
    const text = await answer.body.text();
    const type = String(answer.headers['content-type'] ?? '');
    return {
      status: answer.statusCode,
      body: type.includes('json') && text !== '' ? (JSON.parse(text) as AnswerBody) : {},
      text,
      headers: answer.headers,
    };
  }
}

/** A server on a fake installation: its folders, its socket, a caller; disposing stops it. */
export class ServerFixture implements AsyncDisposable {
  readonly folder: FakeInstallationFolder;
  readonly imagesDir: string;
  readonly stateDir: string;
  readonly kernel: string;
  server: KindlingServer | undefined;
  caller: ApiCaller | undefined;

  private constructor(
    folder: FakeInstallationFolder,
    imagesDir: string,
    stateDir: string,
    kernel: string,
  ) {
    this.folder = folder;
    this.imagesDir = imagesDir;
    this.stateDir = stateDir;
    this.kernel = kernel;
  }

  static async create(options: FakeInstallationFolderOptions = {}): Promise<ServerFixture> {
    const folder = await FakeInstallationFolder.create({ prefix: 'kindling-srv-', ...options });
    const imagesDir = path.join(folder.dir, 'images');
    const stateDir = path.join(folder.dir, 'srv');
    await mkdir(imagesDir);
    const kernel = await writeFakeKernel(path.join(imagesDir, 'vmlinux'));
    return new ServerFixture(folder, imagesDir, stateDir, kernel);
  }

  /** The server's settings on this installation, with `extra` on top. */
  config(extra: Partial<ServerConfigInput> = {}): ServerConfigInput {
    const installation = this.folder.installation;
    return {
      stateDir: this.stateDir,
      imagesDir: this.imagesDir,
      installation: {
        firecrackerPath: installation.firecrackerPath,
        jailerPath: installation.jailerPath,
        snapshotEditorPath: installation.snapshotEditorPath,
      },
      ...extra,
    };
  }

  /** Starts the server on its Unix socket (or as `extra` says), with a caller for it. */
  async start(extra: Partial<ServerConfigInput> = {}, token?: string): Promise<ApiCaller> {
    const server = await startServer(this.config(extra));
    this.server = server;
    const dispatcher =
      server.socketPath === undefined
        ? new Agent({ connect: { rejectUnauthorized: false } })
        : new Agent({ connect: { socketPath: server.socketPath } });
    const origin = server.socketPath === undefined ? server.address : 'http://localhost';
    this.caller = new ApiCaller(origin, dispatcher, token);
    return this.caller;
  }

  /** A minimal VM body: the fake kernel, 1 vCPU, 128 MiB. */
  vmBody(extra: Record<string, unknown> = {}): Record<string, unknown> {
    return {
      source: {
        kind: 'config',
        configuration: {
          bootSource: { kernel_image_path: this.kernel, boot_args: 'console=ttyS0' },
          machineConfig: { vcpu_count: 1, mem_size_mib: 128 },
        },
      },
      ...extra,
    };
  }

  /** The running server's Unix socket. */
  get socketPath(): string {
    const socketPath = this.server?.socketPath;
    if (socketPath === undefined) {
      throw new Error('the server is not running on a Unix socket');
    }
    return socketPath;
  }

  /** The routes of the running server. */
  get routes(): readonly string[] {
    if (this.server === undefined) {
      throw new Error('the server is not running');
    }
    return this.server.routes;
  }

  async stop(options?: { shutdownVms?: boolean }): Promise<void> {
    // The server first: it ends its event streams, which the dispatcher would wait for.
    await this.server?.close(options);
    await this.caller?.dispatcher.close();
    this.server = undefined;
    this.caller = undefined;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.stop({ shutdownVms: true });
    await this.folder[Symbol.asyncDispose]();
  }
}
