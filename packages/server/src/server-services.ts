// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import type { FirecrackerMetricsExporter } from '@kindling/ext-metrics';
import type { FastifyPluginCallbackZod } from 'fastify-type-provider-zod';
import type { ResolvedServerConfig } from './server-config.js';
import type { VmEventHub } from './vm-events.js';
import type { VmRegistry } from './vm-registry.js';

/** What the routes share: the VMs, their events and metrics, the settings, the stop signal. */
export interface ServerServices {
  readonly config: ResolvedServerConfig;
  readonly registry: VmRegistry;
  readonly events: VmEventHub;
  readonly exporter: FirecrackerMetricsExporter;
  /** Aborts when the server stops: calls under way are cancelled, event streams end. */
  readonly stopping: AbortSignal;
  /** When the server started (`performance.now()`). */
  readonly startedAt: number;
  readonly version: string;
}

/** The Fastify app as the routes see it: typed by the zod schemas of each route. */
export type ZodApp = Parameters<FastifyPluginCallbackZod>[0];
