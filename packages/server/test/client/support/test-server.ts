// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { KindlingClient, type CreateVmRequest, type KindlingClientOptions } from '@kindling/client';
import { TEST_WAIT_MS } from '@kindling/test-utils';
import { Agent, request } from 'undici';
import type { KindlingServer, ServerConfigInput } from '../../../src/index.js';
import { ServerFixture } from '../../support/server-fixture.js';

/**
 * A real server on `@kindling/fake-vmm` (the server tests' fixture), on its Unix socket in a
 * temporary folder (or as `listen` says), and clients of it; disposing shuts its VMs down and
 * removes everything.
 */
export class TestServer implements AsyncDisposable {
  readonly server: KindlingServer;
  readonly kernel: string;
  readonly #fixture: ServerFixture;

  private constructor(fixture: ServerFixture, server: KindlingServer) {
    this.#fixture = fixture;
    this.server = server;
    this.kernel = fixture.kernel;
  }

  /** Starts a server; `extra` goes on top of its settings (e.g. `listen`). */
  static async start(extra: Partial<ServerConfigInput> = {}): Promise<TestServer> {
    const fixture = await ServerFixture.create({ prefix: 'kindling-client-srv-' });
    try {
      await fixture.start(extra);
      return new TestServer(fixture, fixture.server as KindlingServer);
    } catch (error) {
      await fixture[Symbol.asyncDispose]();
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
    return this.#fixture.vmBody({ id, ...extra }) as CreateVmRequest;
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
    await this.#fixture[Symbol.asyncDispose]();
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
