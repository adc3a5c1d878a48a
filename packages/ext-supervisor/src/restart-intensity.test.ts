// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { describe, expect, it } from 'vitest';
import { RestartIntensity } from './restart-intensity.js';

describe('RestartIntensity', () => {
  it('allows maxRestarts restarts within the window, and refuses the next', () => {
    const intensity = new RestartIntensity(2, 1_000);
    expect([intensity.tryRestart(0), intensity.tryRestart(10), intensity.tryRestart(20)]).toEqual([
      true,
      true,
      false,
    ]);
    // The refused one was not counted.
    expect(intensity.countAt(20)).toBe(2);
  });

  it('forgets a restart once it is a whole window old', () => {
    const intensity = new RestartIntensity(1, 1_000);
    expect(intensity.tryRestart(0)).toBe(true);
    expect(intensity.tryRestart(999)).toBe(false);
    expect(intensity.tryRestart(1_000)).toBe(true);
    expect(intensity.countAt(1_500)).toBe(1);
    expect(intensity.countAt(2_000)).toBe(0);
  });

  it('refuses every restart when maxRestarts is 0', () => {
    const intensity = new RestartIntensity(0, 1_000);
    expect(intensity.tryRestart(0)).toBe(false);
  });
});
