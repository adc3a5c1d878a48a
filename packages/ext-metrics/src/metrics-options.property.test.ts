// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  checkParsedOrRefused,
  checkParsedOrRefusedAsync,
  garbage,
  hostileString,
  whenParsed,
  whenParsedAsync,
  withFields,
} from '@kindling/helpers/testing';
import * as fc from 'fast-check';
import { assert, asyncProperty, property } from 'fast-check';
import { Registry } from 'prom-client';
import { afterAll, describe, it } from 'vitest';
import { MetricsError } from './errors.js';
import type { MetricsEntry } from './metrics-record.js';
import { FirecrackerMetricsExporter } from './prometheus-exporter.js';
import { readMetrics } from './read-metrics.js';
import { serveMetrics } from './serve-metrics.js';

const refusal = (names: string | readonly string[]) => ({ errorClass: MetricsError, names });

// An empty metrics file: reading it with an aborted signal ends at once.
const metricsFile = path.join(tmpdir(), `kindling-props-metrics-${process.pid}.ndjson`);
writeFileSync(metricsFile, '');
afterAll(async () => {
  const { rm } = await import('node:fs/promises');
  await rm(metricsFile, { force: true });
});

// Garbage that sets no host: a host string would be looked up by name, which no unit test does.
const hasNoHost = (value: unknown): boolean =>
  typeof value !== 'object' || value === null || !('host' in value);

// Reads every entry, so that the source is closed.
const drain = async (entries: AsyncIterable<MetricsEntry>): Promise<void> => {
  for await (const entry of entries) {
    // An empty file, read with an aborted signal: nothing to see.
    void entry;
  }
};

const readOptions = fc.oneof(
  garbage(),
  fc.record(
    {
      until: fc.oneof(garbage(), fc.constant(Promise.resolve())),
      cumulative: fc.oneof(fc.boolean(), garbage()),
      pollIntervalMs: fc.oneof(fc.integer({ min: 1, max: 1000 }), garbage()),
      extra: garbage(),
    },
    { requiredKeys: [] },
  ),
);

describe('ext-metrics options', () => {
  it('readMetrics reads or refuses any path and options with ERR_INVALID_INPUT naming them', async () => {
    await assert(
      asyncProperty(
        fc.oneof(fc.constant(metricsFile), hostileString(), garbage()),
        readOptions,
        async (file, options) => {
          const stopped = { ...(options as object), signal: AbortSignal.abort() };
          // A path that is no metrics source is refused when opened (ERR_METRICS_SOURCE).
          const outcome = await checkParsedOrRefusedAsync(
            () => readMetrics(file as never, stopped as never),
            {
              ...refusal(['readMetrics', 'metrics path']),
              code: ['ERR_INVALID_INPUT', 'ERR_METRICS_SOURCE'],
            },
          );
          // A source it opened is closed by reading it to its (immediate) end.
          await whenParsedAsync(outcome, drain);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('FirecrackerMetricsExporter takes or refuses any options and vm ids', () => {
    assert(
      property(
        fc.oneof(
          garbage(),
          fc.record({
            registry: fc.oneof(
              garbage(),
              fc.constant(0).map(() => new Registry()),
            ),
          }),
        ),
        fc.oneof(hostileString(), garbage()),
        (options, vmId) => {
          whenParsed(
            checkParsedOrRefused(
              () => new FirecrackerMetricsExporter(options as never),
              refusal('FirecrackerMetricsExporter'),
            ),
            (exporter) => {
              checkParsedOrRefused(() => exporter.removeVm(vmId as never), refusal('removeVm'));
            },
          );
        },
      ),
      { numRuns: 100 },
    );
  });

  it('serveMetrics serves or refuses any options with ERR_INVALID_INPUT naming them', async () => {
    await assert(
      asyncProperty(
        fc.oneof(
          fc.constant(0).map(() => new Registry()),
          garbage(),
        ),
        fc
          .oneof(
            garbage().filter(hasNoHost),
            fc.record(
              {
                port: fc.oneof(fc.constant(0), garbage()),
                host: fc.oneof(
                  fc.constantFrom('127.0.0.1', '::1', 'localhost', ''),
                  garbage().filter((value) => typeof value !== 'string'),
                ),
              },
              { requiredKeys: [] },
            ),
          )
          .map((options) => withFields({ port: 0 }, options as object)),
        async (registry, options) => {
          // No name lookups in a unit test: the hosts are addresses, localhost or not strings.
          const outcome = await checkParsedOrRefusedAsync(
            () => serveMetrics(registry as never, options as never),
            refusal('serveMetrics'),
          );
          await whenParsedAsync(outcome, (server) => server.close());
        },
      ),
      { numRuns: 100 },
    );
  });
});
