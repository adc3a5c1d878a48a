// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import type { z } from 'zod';
import { healthSchema, vmInfoSchema, vmListSchema } from './contract/vm-info.js';
import {
  createSnapshotRequestSchema,
  createVmRequestSchema,
  snapshotInfoSchema,
  stopVmRequestSchema,
} from './contract/vm-requests.js';
import { vmEventSchema } from './contract/vm-event.js';
import { execRequestSchema, execResultSchema } from './contract/guest-exec.js';
import {
  guestFileListSchema,
  guestFileStatSchema,
  transferResultSchema,
} from './contract/guest-files.js';

/** The HTTP methods of the server's routes (the passthrough takes Firecracker's). */
export type RouteMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/**
 * One route of the server: its method and OpenAPI path (`{id}` for the VM), the body it takes,
 * and what a success answers: a JSON body of a schema, nothing (204), text, an event stream, a
 * tar archive, or whatever Firecracker or the guest answered (the passthroughs). `ANY` is
 * Firecracker's methods (GET, PUT, PATCH, DELETE) for its passthrough, and GET, POST, PUT,
 * PATCH, DELETE for the guest's HTTP.
 */
export interface Route {
  readonly method: RouteMethod | 'ANY';
  readonly path: string;
  readonly status: number;
  readonly body?: z.ZodType;
  readonly answer:
    | { readonly kind: 'json'; readonly schema: z.ZodType }
    | { readonly kind: 'none' | 'text' | 'passthrough' | 'tar' }
    | { readonly kind: 'events'; readonly schema: z.ZodType };
}

const json = <Schema extends z.ZodType>(schema: Schema) => ({ kind: 'json', schema }) as const;

/** Every route the client calls, by the name of its method: the one table the client and its contract test read. */
export const ROUTES = {
  health: { method: 'GET', path: '/v1/health', status: 200, answer: json(healthSchema) },
  createVm: {
    method: 'POST',
    path: '/v1/vms',
    status: 201,
    body: createVmRequestSchema,
    answer: json(vmInfoSchema),
  },
  listVms: { method: 'GET', path: '/v1/vms', status: 200, answer: json(vmListSchema) },
  getVm: { method: 'GET', path: '/v1/vms/{id}', status: 200, answer: json(vmInfoSchema) },
  startVm: { method: 'POST', path: '/v1/vms/{id}/start', status: 200, answer: json(vmInfoSchema) },
  pauseVm: { method: 'POST', path: '/v1/vms/{id}/pause', status: 200, answer: json(vmInfoSchema) },
  resumeVm: {
    method: 'POST',
    path: '/v1/vms/{id}/resume',
    status: 200,
    answer: json(vmInfoSchema),
  },
  createSnapshot: {
    method: 'POST',
    path: '/v1/vms/{id}/snapshots',
    status: 201,
    body: createSnapshotRequestSchema,
    answer: json(snapshotInfoSchema),
  },
  stopVm: {
    method: 'POST',
    path: '/v1/vms/{id}/stop',
    status: 200,
    body: stopVmRequestSchema,
    answer: json(vmInfoSchema),
  },
  deleteVm: { method: 'DELETE', path: '/v1/vms/{id}', status: 204, answer: { kind: 'none' } },
  firecracker: {
    method: 'ANY',
    path: '/v1/vms/{id}/firecracker/*',
    status: 200,
    answer: { kind: 'passthrough' },
  },
  metrics: { method: 'GET', path: '/v1/metrics', status: 200, answer: { kind: 'text' } },
  events: {
    method: 'GET',
    path: '/v1/events',
    status: 200,
    answer: { kind: 'events', schema: vmEventSchema },
  },
  vmEvents: {
    method: 'GET',
    path: '/v1/vms/{id}/events',
    status: 200,
    answer: { kind: 'events', schema: vmEventSchema },
  },
  exec: {
    method: 'POST',
    path: '/v1/vms/{id}/exec',
    status: 200,
    body: execRequestSchema,
    answer: json(execResultSchema),
  },
  pushFiles: {
    method: 'PUT',
    path: '/v1/vms/{id}/files',
    status: 200,
    answer: json(transferResultSchema),
  },
  pullFiles: { method: 'GET', path: '/v1/vms/{id}/files', status: 200, answer: { kind: 'tar' } },
  statFile: {
    method: 'GET',
    path: '/v1/vms/{id}/files/stat',
    status: 200,
    answer: json(guestFileStatSchema),
  },
  listFiles: {
    method: 'GET',
    path: '/v1/vms/{id}/files/list',
    status: 200,
    answer: json(guestFileListSchema),
  },
  guestHttp: {
    method: 'ANY',
    path: '/v1/vms/{id}/vsock/{port}/*',
    status: 200,
    answer: { kind: 'passthrough' },
  },
} as const satisfies Record<string, Route>;

/** The name of a route in `ROUTES`. */
export type RouteName = keyof typeof ROUTES;

/** A route's path with its `{id}` filled in (URL-encoded). */
export const fillRoutePath = (route: Route, id?: string): string =>
  id === undefined ? route.path : route.path.replace('{id}', encodeURIComponent(id));
