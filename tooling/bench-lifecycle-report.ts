// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

// The figures of a lifecycle benchmark, from the marks and CPU times both sides collected.

import {
  lifecycleMs,
  readinessMs,
  sdkControlledMs,
  type LifecycleMarks,
  type Side,
} from './bench-lifecycle.ts';
import { quantile, recordFigure } from './bench-stats.ts';

/** What one side collected over the recorded rounds. */
export interface LifecycleSamples {
  readonly marks: LifecycleMarks[];
  readonly cpuMs: number[];
}

/** An empty collection for each side. */
export const createLifecycleSamples = (): Record<Side, LifecycleSamples> => ({
  kindling: { marks: [], cpuMs: [] },
  baseline: { marks: [], cpuMs: [] },
});

export const BASELINE_NAME = 'child_process + fs.watch + node:net + fs.rm';

// The spans of a lifecycle, in order, for the breakdown line that says where the time goes.
const SPANS: readonly (readonly [string, keyof LifecycleMarks, keyof LifecycleMarks])[] = [
  ['prepare', 'start', 'spawnCalled'],
  ['spawn→socket', 'spawnCalled', 'socketAppeared'],
  ['socket→configured', 'socketAppeared', 'configured'],
  ['InstanceStart', 'configured', 'instanceStarted'],
  ['pause', 'instanceStarted', 'paused'],
  ['kill→end seen', 'paused', 'exited'],
  ['cleanup', 'exited', 'cleaned'],
];

const describeSpans = (marks: readonly LifecycleMarks[]): string =>
  SPANS.map(([name, from, to]) => {
    const median = quantile(
      marks.map((each) => (each[to] ?? Number.NaN) - (each[from] ?? Number.NaN)),
      0.5,
    );
    return `${name} ${median.toFixed(2)}`;
  }).join(', ');

/**
 * Records the whole lifecycle, the time the SDK controls (≤ 1.2× the baseline), the driver's CPU
 * (≤ 1.3×) and, when the driver reports `ready`, the socket readiness (≤ 1 ms).
 */
export const recordLifecycleFigures = (
  label: string,
  samples: Record<Side, LifecycleSamples>,
): void => {
  const { kindling, baseline } = samples;
  console.log(`${label}: median spans (ms), Kindling: ${describeSpans(kindling.marks)}`);
  console.log(`${label}: median spans (ms), baseline: ${describeSpans(baseline.marks)}`);
  const both = (measure: (marks: LifecycleMarks) => number) => ({
    samples: kindling.marks.map(measure),
    baseline: baseline.marks.map(measure),
    baselineName: BASELINE_NAME,
  });
  recordFigure({ name: `${label}: whole lifecycle`, unit: 'ms', ...both(lifecycleMs) });
  recordFigure({
    name: `${label}: time the SDK controls`,
    unit: 'ms',
    ...both(sdkControlledMs),
    target: { ratio: 1.2 },
  });
  recordFigure({
    name: `${label}: driver CPU per lifecycle`,
    unit: 'ms',
    samples: kindling.cpuMs,
    baseline: baseline.cpuMs,
    baselineName: BASELINE_NAME,
    target: { ratio: 1.3 },
  });
  if (kindling.marks.every((marks) => marks.ready !== undefined)) {
    recordFigure({
      name: `${label}: socket accepting → driver knows`,
      unit: 'ms',
      ...both(readinessMs),
      target: { max: 1 },
    });
  }
};
