// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { writeFakeKernel } from '@kindling/fake-vmm';
import { startServer, type KindlingServer, type ServerConfigInput } from '@kindling/server';
import { FakeInstallationFolder, TEST_WAIT_MS } from '@kindling/test-utils';
import { Agent, request } from 'undici';
import { KindlingClient, type CreateVmRequest, type KindlingClientOptions } from '@kindling/client';

/**
 * A real `@kindling/server` on `@kindling/fake-vmm`, on its Unix socket in a temporary folder (or
 * as `listen` says); disposing shuts its VMs down and removes everything.
 */
export class TestServer implements AsyncDisposable {
  readonly server: KindlingServer;
  readonly imagesDir: string;
  readonly kernel: string;
  readonly #folder: FakeInstallationFolder;

  private constructor(
    server: KindlingServer,
    folder: FakeInstallationFolder,
    imagesDir: string,
    kernel: string,
  ) {
    this.server = server;
    this.#folder = folder;
    this.imagesDir = imagesDir;
    this.kernel = kernel;
  }

  /** Starts a server; `extra` goes on top of its settings (e.g. `listen`). */
  static async start(extra: Partial<ServerConfigInput> = {}): Promise<TestServer> {
    const folder = await FakeInstallationFolder.create({ prefix: 'kindling-client-srv-' });
    try {
      const imagesDir = path.join(folder.dir, 'images');
      await mkdir(imagesDir);
      const kernel = await writeFakeKernel(path.join(imagesDir, 'vmlinux'));
      const { installation } = folder;
      const server = await startServer({
        stateDir: path.join(folder.dir, 'state'),
        imagesDir,
        installation: {
          firecrackerPath: installation.firecrackerPath,
          jailerPath: installation.jailerPath,
          snapshotEditorPath: installation.snapshotEditorPath,
        },
        ...extra,
      });
      return new TestServer(server, folder, imagesDir, kernel);
    } catch (error) {
      await folder[Symbol.asyncDispose]();
      throw error;
    }
  }

  /** What `options.server` names this server by. */
  get target(): string {
    return this.server.socketPath ?? this.server.address;
  }

  /** A client of this server; dispose of it. */
  client(options: Partial<KindlingClientOptions> = {}): KindlingClient {
    return new KindlingClient({ server: this.target, timeoutMs: TEST_WAIT_MS, ...options });
  }

  /** A VM on the fake kernel: 1 vCPU, 128 MiB. */
  vmRequest(id: string, extra: Partial<CreateVmRequest> = {}): CreateVmRequest {
    return {
      id,
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

  /** The server's OpenAPI document (`GET /openapi.json`). */
  async openApi(): Promise<unknown> {
    const agent = new Agent({ connect: { socketPath: this.target } });
    try {
      const answer = await request('http://localhost/openapi.json', { dispatcher: agent });
      return await answer.body.json();
    } finally {
      await agent.close();
    }
  }

  async [Symbol.asyncDispose](): Promise<void> {
    try {
      await this.server.close({ shutdownVms: true });
    } finally {
      await this.#folder[Symbol.asyncDispose]();
    }
  }
}

/** The items of a stream up to the first that `last` accepts (included), then it is left. */
export const collectUntil = async <T>(
  items: AsyncIterable<T>,
  last: (item: T) => boolean,
): Promise<T[]> => {
  const all: T[] = [];
  for await (const item of items) {
    all.push(item);
    if (last(item)) {
      break;
    }
  }
  return all;
};
