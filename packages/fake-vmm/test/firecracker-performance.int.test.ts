// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { describe, expect, it } from 'vitest';
import { startFakeVm } from './support/fake-vm.js';

// Every test above vmm-core spawns this fake: start-up and API latency are budgets, not wishes.

const median = (values: readonly number[]): number => {
  const sorted = values.toSorted((left, right) => left - right);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
};

describe('performance', () => {
  it('has its API socket accepting connections well under 150 ms after spawn', async () => {
    const samples: number[] = [];
    for (let run = 0; run < 7; run += 1) {
      const start = performance.now();
      await using vm = await startFakeVm({ spawn: true });
      samples.push(performance.now() - start);
      expect(vm.pid).toBeGreaterThan(0);
    }
    console.log(`spawn → socket accepting: median ${median(samples).toFixed(1)} ms`);
    expect(median(samples)).toBeLessThan(150);
  });

  it('answers an API round trip in a median of at most 0.3 ms', async () => {
    await using vm = await startFakeVm({ spawn: true });
    const client = await vm.connect();
    const request = 'GET / HTTP/1.1\r\nHost: localhost\r\n\r\n';
    for (let warmUp = 0; warmUp < 300; warmUp += 1) {
      client.send(request);
      await client.readResponse();
    }
    const samples: number[] = [];
    for (let index = 0; index < 2000; index += 1) {
      const start = performance.now();
      client.send(request);
      const response = await client.readResponse();
      samples.push(performance.now() - start);
      expect(response.status).toBe(200);
    }
    console.log(`GET / round trip: median ${(median(samples) * 1000).toFixed(0)} µs`);
    expect(median(samples)).toBeLessThanOrEqual(0.3);
  });
});
