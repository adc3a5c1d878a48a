// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { setTimeout as sleep } from 'node:timers/promises';
import type { FakeResponseAction, FakeResponseFault } from '../../faults/env-switches.js';
import type { JournalRecord, JournalWriter } from '../../faults/journal.js';
import type { ApiConnection } from '../../http/api-socket-server.js';
import type { HttpParseEvent, HttpRequest } from '../../http/http-request-parser.js';
import {
  formatHttpResponse,
  formatParseErrorBody,
  type HttpResponse,
} from '../../http/http-response.js';
import { LOG_SITES, type FirecrackerLogger } from '../firecracker-logger.js';
import type { FirecrackerMetrics } from '../firecracker-metrics.js';
import type { FakeVmm } from '../vmm/fake-vmm.js';
import { describeRequest, routeRequest, type RequestCounter } from './route-request.js';

/** Options of the API request handler. */
export interface ApiRequestHandlerOptions {
  readonly vmm: FakeVmm;
  readonly logger: FirecrackerLogger;
  readonly metrics: FirecrackerMetrics;
  readonly responseFaults: readonly FakeResponseFault[];
  readonly journal: JournalWriter | undefined;
  /** Requests wait for it (a `--config-file` boot finishes before the API is served). */
  readonly ready: Promise<void>;
  /** Called after each answered (or faulted) request with how many there have been. */
  readonly onRequestDone: (count: number) => void;
  /** A restore failed: the answer is out, the process must exit with `code`. */
  readonly onFatalExit: (code: number) => void;
  /** Aborted when the process ends (cancels response delays). */
  readonly signal: AbortSignal;
}

interface Pending {
  readonly connection: ApiConnection;
  readonly request: HttpRequest;
  readonly receivedAtMs: number;
}

const nowMs = (): number => performance.timeOrigin + performance.now();

const REASONS: Readonly<Record<number, string>> = {
  200: '200 OK',
  204: '204 No Content',
  400: '400 Bad Request',
  413: '413 Payload Too Large',
};

const matches = (fault: FakeResponseFault, request: HttpRequest): boolean => {
  if (fault.method !== '*' && fault.method !== request.method) {
    return false;
  }
  return fault.path.endsWith('*')
    ? request.path.startsWith(fault.path.slice(0, -1))
    : request.path === fault.path;
};

/**
 * Firecracker's API thread and its hand-off to the VMM: requests of every connection go through
 * one queue and are handled one at a time; HTTP-layer errors and `100 Continue` are answered at once.
 */
export class ApiRequestHandler {
  private readonly queue: Pending[] = [];
  private busy = false;
  private seq = 0;
  private done = 0;
  private stopped = false;
  private readonly faultMatches = new Map<FakeResponseFault, number>();
  private readonly options: ApiRequestHandlerOptions;

  constructor(options: ApiRequestHandlerOptions) {
    this.options = options;
  }

  /** Feeds one event of one connection. */
  onEvent(connection: ApiConnection, event: HttpParseEvent): void {
    if (this.stopped) {
      return;
    }
    switch (event.kind) {
      case 'continue':
        connection.write(formatHttpResponse({ status: 100 }, event.version));
        return;
      case 'error': {
        const receivedAtMs = nowMs();
        const response: HttpResponse = { status: 400, body: formatParseErrorBody(event.message) };
        connection.write(formatHttpResponse(response));
        this.record({
          seq: this.nextSeq(),
          method: event.method,
          path: event.uri,
          body: null,
          status: 400,
          responseBody: response.body ?? null,
          receivedAtMs,
          respondedAtMs: nowMs(),
          fault: null,
        });
        this.finishOne();
        return;
      }
      case 'request':
        this.queue.push({ connection, request: event.request, receivedAtMs: nowMs() });
        if (!this.busy) {
          this.busy = true;
          this.drain().catch((error: unknown) => {
            this.options.logger.error(
              LOG_SITES.apiServer,
              `API request handling failed: ${String(error)}`,
            );
          });
        }
    }
  }

  /** Stops handling: queued requests are never answered (the process is exiting). */
  stop(): void {
    this.stopped = true;
    this.queue.length = 0;
  }

  /** Journals requests received but never answered because the process is exiting. */
  recordUnanswered(pending: Pending): void {
    this.record({
      seq: this.nextSeq(),
      method: pending.request.method,
      path: pending.request.uri,
      body: pending.request.body?.toString('utf8') ?? null,
      status: null,
      responseBody: null,
      receivedAtMs: pending.receivedAtMs,
      respondedAtMs: null,
      fault: null,
    });
  }

  private nextSeq(): number {
    this.seq += 1;
    return this.seq;
  }

  private record(record: JournalRecord): void {
    this.options.journal?.append(record);
  }

  private finishOne(): void {
    this.done += 1;
    this.options.onRequestDone(this.done);
  }

  private async drain(): Promise<void> {
    await this.options.ready;
    for (
      let next = this.queue.shift();
      next !== undefined && !this.stopped;
      next = this.queue.shift()
    ) {
      await this.handle(next);
    }
    this.busy = false;
  }

  private count(counter: RequestCounter | undefined, suffix: 'count' | 'fails'): void {
    if (counter !== undefined) {
      this.options.metrics.inc(counter[0], `${counter[1]}_${suffix}`);
    }
  }

  private async handle(pending: Pending): Promise<void> {
    const { request } = pending;
    const { logger, metrics, vmm } = this.options;
    const startedAt = performance.now();
    const tookUs = (): number => Math.round((performance.now() - startedAt) * 1000);
    logger.info(LOG_SITES.apiRequest, `The API server received a ${describeRequest(request)}.`);
    const routed = routeRequest(request);
    let response: HttpResponse;
    let exitAfter: number | undefined;
    this.count(routed.counter, 'count');
    if (routed.kind === 'fault') {
      this.count(routed.counter, 'fails');
      logger.error(LOG_SITES.apiRequest, routed.message);
      response = { status: 400, body: JSON.stringify({ fault_message: routed.message }) };
    } else {
      if (routed.deprecation !== undefined) {
        logger.warn(LOG_SITES.apiRequest, routed.deprecation);
        metrics.inc('deprecated_api', 'deprecated_http_api_calls');
      }
      const outcome = await vmm.handle(routed.action);
      if (outcome === 'exit') {
        this.recordUnanswered(pending);
        return;
      }
      const deprecation = routed.deprecation !== undefined;
      if (outcome.status === 204 || outcome.status === 200) {
        logger.info(
          outcome.status === 204 ? LOG_SITES.apiResponse : LOG_SITES.apiResponseBody,
          `The request was executed successfully. Status code: ${REASONS[outcome.status] ?? outcome.status}.`,
        );
        if (routed.timedName !== undefined) {
          logger.info(
            LOG_SITES.apiRequestTook,
            `'${routed.timedName}' API request took ${tookUs()} us.`,
          );
        }
        response =
          outcome.status === 204
            ? { status: 204, deprecation }
            : { status: 200, body: outcome.body, deprecation };
      } else {
        this.count(routed.counter, 'fails');
        logger.error(
          LOG_SITES.apiResponseError,
          `Received Error. Status code: ${REASONS[outcome.status] ?? outcome.status}. Message: ${outcome.fault}`,
        );
        response = {
          status: outcome.status,
          body: JSON.stringify({ fault_message: outcome.fault }),
          deprecation,
        };
        exitAfter = outcome.exitAfter;
      }
    }
    logger.debug(LOG_SITES.apiCallDuration, `Total previous API call duration: ${tookUs()} us.`);
    await this.respond(pending, response);
    if (exitAfter !== undefined) {
      logger.debug(
        LOG_SITES.apiServerShutdown,
        'shutdown request received, API server thread ending.',
      );
      this.stop();
      this.options.onFatalExit(exitAfter);
    }
  }

  private faultFor(request: HttpRequest): FakeResponseAction | undefined {
    for (const fault of this.options.responseFaults) {
      if (!matches(fault, request)) {
        continue;
      }
      const seen = (this.faultMatches.get(fault) ?? 0) + 1;
      this.faultMatches.set(fault, seen);
      if (fault.nth === undefined || fault.nth === seen) {
        return fault.action;
      }
    }
    return undefined;
  }

  private async respond(pending: Pending, response: HttpResponse): Promise<void> {
    const { connection, request } = pending;
    const action = this.faultFor(request);
    if (action?.kind === 'delay') {
      try {
        await sleep(action.delayMs, undefined, { signal: this.options.signal });
      } catch {
        return;
      }
    }
    const answered = action === undefined || action.kind === 'delay';
    // Journaled before the answer goes out: a client that has its answer finds the record.
    this.record({
      seq: this.nextSeq(),
      method: request.method,
      path: request.uri,
      body: request.body?.toString('utf8') ?? null,
      status: answered ? response.status : null,
      responseBody: answered ? (response.body ?? null) : null,
      receivedAtMs: pending.receivedAtMs,
      respondedAtMs: answered ? nowMs() : null,
      fault: action?.kind ?? null,
    });
    if (answered) {
      connection.write(formatHttpResponse(response));
    } else if (action.kind === 'drop') {
      connection.destroy();
    }
    this.finishOne();
  }
}
