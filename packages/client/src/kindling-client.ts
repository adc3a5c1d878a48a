// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import type { z } from 'zod';
import type {
  CreateSnapshotRequest,
  CreateVmRequest,
  ExecRequest,
  ExecResult,
  GuestFileList,
  GuestFileStat,
  Health,
  SnapshotInfo,
  StopVmRequest,
  TransferResult,
  VmInfo,
} from './contract/types.js';
import { runBounded, type CallBound } from './call-deadline.js';
import {
  resolveCallOptions,
  resolveClientOptions,
  type CallOptions,
  type EventsOptions,
  type KindlingClientOptions,
} from './client-options.js';
import {
  parseAnswer,
  parseJson,
  isServerError,
  requireFirecrackerCall,
  requireId,
  type FirecrackerAnswer,
  type FirecrackerMethod,
} from './call-input.js';
import { openEventStream, type VmEventStream } from './event-stream.js';
import {
  GUEST_ANSWER_HEADER,
  guestHttpPath,
  guestPathQuery,
  openArchive,
  rawBodyOf,
  type ArchiveSource,
  type ArchiveStream,
  type GuestHttpAnswer,
  type GuestHttpMethod,
} from './guest-calls.js';
import { HttpTransport, type RawBody } from './http-transport.js';
import { fillRoutePath, ROUTES, type Route } from './routes.js';
import { parseServerTarget } from './server-target.js';

/**
 * A typed client of a Kindling server (`kindling serve`): one method per route of its REST API,
 * over its Unix socket, TCP or TLS. Every call is bounded (`timeoutMs`) and cancellable
 * (`signal`); a failure is a `ClientError` with the server's own code (`ERR_VM_NOT_FOUND`, …).
 */
export class KindlingClient implements AsyncDisposable {
  /** The server, as messages name it (`unix:/run/kindling.sock`, `https://host:7070`). */
  readonly server: string;
  readonly #transport: HttpTransport;
  readonly #timeoutMs: number;
  // Open event streams never end by themselves: close() ends them before closing the pool.
  readonly #streams = new Set<VmEventStream>();
  #closing: Promise<void> | undefined;

  constructor(options: KindlingClientOptions) {
    const resolved = resolveClientOptions(options);
    this.#timeoutMs = resolved.timeoutMs;
    this.#transport = new HttpTransport({
      target: parseServerTarget(resolved.server),
      token: resolved.token,
      ca: resolved.ca,
      connections: resolved.connections,
    });
    this.server = this.#transport.describe;
  }

  /** `GET /v1/health`: the server's version, how many VMs it owns, and its uptime. */
  health(options?: CallOptions): Promise<Health> {
    return this.#json(ROUTES.health, undefined, undefined, options);
  }

  /** `POST /v1/vms`: creates a VM (and starts it unless `start: false`). */
  createVm(request: CreateVmRequest, options?: CallOptions): Promise<VmInfo> {
    return this.#json(ROUTES.createVm, undefined, request, options);
  }

  /** `GET /v1/vms`: every VM the server owns. */
  async listVms(options?: CallOptions): Promise<VmInfo[]> {
    return (await this.#json(ROUTES.listVms, undefined, undefined, options)).vms;
  }

  /** `GET /v1/vms/{id}`: one VM. */
  getVm(id: string, options?: CallOptions): Promise<VmInfo> {
    return this.#json(ROUTES.getVm, id, undefined, options);
  }

  /** `POST /v1/vms/{id}/start`: starts a VM created with `start: false`. */
  startVm(id: string, options?: CallOptions): Promise<VmInfo> {
    return this.#json(ROUTES.startVm, id, undefined, options);
  }

  /** `POST /v1/vms/{id}/pause`: pauses a running VM. */
  pauseVm(id: string, options?: CallOptions): Promise<VmInfo> {
    return this.#json(ROUTES.pauseVm, id, undefined, options);
  }

  /** `POST /v1/vms/{id}/resume`: resumes a paused VM. */
  resumeVm(id: string, options?: CallOptions): Promise<VmInfo> {
    return this.#json(ROUTES.resumeVm, id, undefined, options);
  }

  /** `POST /v1/vms/{id}/snapshots`: writes a snapshot (paths under the server's folders). */
  createSnapshot(
    id: string,
    request: CreateSnapshotRequest,
    options?: CallOptions,
  ): Promise<SnapshotInfo> {
    return this.#json(ROUTES.createSnapshot, id, request, options);
  }

  /** `POST /v1/vms/{id}/stop`: shuts a VM down (Ctrl+Alt+Del, then a kill; `force` kills at once). */
  stopVm(id: string, request: StopVmRequest = {}, options?: CallOptions): Promise<VmInfo> {
    return this.#json(ROUTES.stopVm, id, request, options);
  }

  /** `DELETE /v1/vms/{id}`: stops a VM if it runs, removes its files and its record. */
  async deleteVm(id: string, options?: CallOptions): Promise<void> {
    await this.#send(ROUTES.deleteVm, id, undefined, options);
  }

  /**
   * `/v1/vms/{id}/firecracker/…`: one request to the VM's Firecracker API, for what the typed
   * routes do not cover. Firecracker's answer comes back as it gave it, errors (400) included;
   * only the server's own errors (no such VM) reject.
   */
  async firecracker(
    id: string,
    method: FirecrackerMethod,
    path: string,
    body?: unknown,
    options?: CallOptions,
  ): Promise<FirecrackerAnswer> {
    requireFirecrackerCall(method, path);
    const full = `${fillRoutePath(ROUTES.firecracker, requireId(id)).slice(0, -2)}${path}`;
    const route = { ...ROUTES.firecracker, method, path: full };
    const answer = await this.#exchange(route, full, body, options, (status, text) => {
      if (status >= 400 && isServerError(text)) {
        throw this.#transport.errorOf(route, status, text);
      }
      return { status, body: text === '' ? undefined : parseJson(this.server, route, text) };
    });
    return answer;
  }

  /**
   * `POST /v1/vms/{id}/exec`: runs a command in the VM's guest to its end (its exec agent). A
   * non-zero exit resolves too; a command killed at its `timeoutMs` rejects with `ERR_EXEC_TIMEOUT`.
   * The call's own `timeoutMs` must outlast the command's.
   */
  exec(id: string, request: ExecRequest, options?: CallOptions): Promise<ExecResult> {
    return this.#json(ROUTES.exec, id, request, options);
  }

  /**
   * `PUT /v1/vms/{id}/files?path=`: writes a tar archive (entry `.` is the path itself, as
   * `@kindling/ext-exec`'s `pushStream` takes it) at `guestPath`, replacing what was there. The
   * archive is streamed; `timeoutMs` bounds the whole upload.
   */
  async pushFiles(
    id: string,
    guestPath: string,
    archive: ArchiveSource,
    options?: CallOptions,
  ): Promise<TransferResult> {
    const route = {
      ...ROUTES.pushFiles,
      path: `${ROUTES.pushFiles.path}${guestPathQuery(guestPath)}`,
    };
    const path = fillRoutePath(route, requireId(id));
    const raw = { body: rawBodyOf(archive), contentType: 'application/x-tar' };
    const text = await this.#exchange(
      route,
      path,
      undefined,
      options,
      (status, answer) => {
        if (status >= 400) {
          throw this.#transport.errorOf({ method: route.method, path }, status, answer);
        }
        return answer;
      },
      'application/json',
      raw,
    );
    return parseAnswer(this.server, route, text) as TransferResult;
  }

  /**
   * `GET /v1/vms/{id}/files?path=`: the guest's `guestPath` as a tar archive, streamed (entry `.`
   * is the path itself). `timeoutMs` bounds the wait for the answer's start; destroy the stream to
   * abandon the pull.
   */
  async pullFiles(id: string, guestPath: string, options?: CallOptions): Promise<ArchiveStream> {
    const resolved = resolveCallOptions(options);
    const path = `${fillRoutePath(ROUTES.pullFiles, requireId(id))}${guestPathQuery(guestPath)}`;
    const archive = await openArchive(this.#transport, path, this.#bound('GET', path, resolved));
    return archive;
  }

  /** `GET /v1/vms/{id}/files/stat?path=`: describes a guest path (a final symlink is not followed). */
  async statFile(id: string, guestPath: string, options?: CallOptions): Promise<GuestFileStat> {
    const route = {
      ...ROUTES.statFile,
      path: `${ROUTES.statFile.path}${guestPathQuery(guestPath)}`,
    };
    const described = await this.#json(route, id, undefined, options);
    return described;
  }

  /** `GET /v1/vms/{id}/files/list?path=`: a guest folder's entries, sorted by name. */
  async listFiles(id: string, guestPath: string, options?: CallOptions): Promise<GuestFileList> {
    const route = {
      ...ROUTES.listFiles,
      path: `${ROUTES.listFiles.path}${guestPathQuery(guestPath)}`,
    };
    const listed = await this.#json(route, id, undefined, options);
    return listed;
  }

  /**
   * `/v1/vms/{id}/vsock/{port}/…`: one HTTP request to the guest's service on a vsock port. The
   * guest's answer comes back as it gave it (any status); only the server's own errors (no such
   * VM, nothing listening on the port: `ERR_VSOCK_CLOSED`) reject. `path` may carry a query.
   */
  async guestHttp(
    id: string,
    port: number,
    method: GuestHttpMethod,
    path: string,
    body?: string | Uint8Array,
    options?: CallOptions & { readonly headers?: Readonly<Record<string, string>> },
  ): Promise<GuestHttpAnswer> {
    const full = `${fillRoutePath(ROUTES.guestHttp, requireId(id)).replace('/vsock/{port}/*', '')}${guestHttpPath(port, method, path)}`;
    const route = { ...ROUTES.guestHttp, method, path: full };
    const { headers, ...call } = options ?? {};
    const resolved = resolveCallOptions(call);
    const answered = await runBounded(this.#bound(method, full, resolved), async (signal) => {
      const answer = await this.#transport.send({
        method,
        path: full,
        accept: '*/*',
        signal,
        ...(headers === undefined ? {} : { headers }),
        ...(body === undefined ? {} : { raw: { body, contentType: headers?.['content-type'] } }),
      });
      const bytes = Buffer.from(await answer.body.arrayBuffer());
      if (answer.headers[GUEST_ANSWER_HEADER] === undefined && answer.statusCode >= 400) {
        throw this.#transport.errorOf(route, answer.statusCode, bytes.toString('utf8'));
      }
      return { status: answer.statusCode, headers: answer.headers, body: bytes };
    });
    return answered;
  }

  /** `GET /v1/metrics`: every VM's Firecracker metrics as Prometheus text. */
  metrics(options?: CallOptions): Promise<string> {
    return this.#send(ROUTES.metrics, undefined, undefined, options, 'text/plain');
  }

  /**
   * `GET /v1/events` (or one VM's, `vmId`): resolves once subscribed, then yields each change of a
   * VM as it happens. `timeoutMs` bounds the subscription only; close the stream when done.
   */
  async events(options: EventsOptions = {}): Promise<VmEventStream> {
    const { vmId, ...call }: EventsOptions = options;
    const resolved = resolveCallOptions(call);
    const route = vmId === undefined ? ROUTES.events : ROUTES.vmEvents;
    const path = fillRoutePath(route, vmId === undefined ? undefined : requireId(vmId));
    const stream = await openEventStream(
      this.#transport,
      path,
      this.#bound('GET', path, resolved),
      (closed) => this.#streams.delete(closed),
    );
    this.#streams.add(stream);
    return stream;
  }

  /**
   * Ends open event streams, then closes the connections once calls under way are done; calling
   * it twice is harmless.
   */
  close(): Promise<void> {
    this.#closing ??= (async () => {
      await Promise.all([...this.#streams].map((stream) => stream.close()));
      await this.#transport.close();
    })();
    return this.#closing;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  #bound(
    method: string,
    path: string,
    options: { readonly signal?: AbortSignal | undefined; readonly timeoutMs?: number | undefined },
  ): CallBound {
    return {
      timeoutMs: options.timeoutMs ?? this.#timeoutMs,
      signal: options.signal,
      what: `${method} ${path} at ${this.server}`,
    };
  }

  async #json<R extends Route & { answer: { kind: 'json' } }>(
    route: R,
    id: string | undefined,
    body: unknown,
    options: CallOptions | undefined,
  ): Promise<z.output<R['answer']['schema']>> {
    const text = await this.#send(route, id, body, options);
    return parseAnswer(this.server, route, text) as z.output<R['answer']['schema']>;
  }

  // Async, so that bad input rejects like every other failure instead of throwing at the call.
  async #send(
    route: Route,
    id: string | undefined,
    body: unknown,
    options: CallOptions | undefined,
    accept = 'application/json',
  ): Promise<string> {
    const path = fillRoutePath(route, route.path.includes('{id}') ? requireId(id) : undefined);
    const text = await this.#exchange(
      route,
      path,
      body,
      options,
      (status, answer) => {
        if (status >= 400) {
          throw this.#transport.errorOf({ method: route.method, path }, status, answer);
        }
        return answer;
      },
      accept,
    );
    return text;
  }

  async #exchange<T>(
    route: Route,
    path: string,
    body: unknown,
    options: CallOptions | undefined,
    judge: (status: number, text: string) => T,
    accept = 'application/json',
    raw?: { readonly body: RawBody; readonly contentType: string },
  ): Promise<T> {
    const resolved = resolveCallOptions(options);
    const method = route.method === 'ANY' ? 'GET' : route.method;
    const result = await runBounded(this.#bound(method, path, resolved), async (signal) => {
      const answer = await this.#transport.send(
        raw === undefined
          ? { method, path, body, accept, signal }
          : { method, path, raw, accept, signal },
      );
      return judge(answer.statusCode, await answer.body.text());
    });
    return result;
  }
}
