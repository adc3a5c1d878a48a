// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { stopVmRequestSchema, vmIdSchema } from '@kindling/client';
import { z } from 'zod';

// The contract's schemas (bodies, answers, events, errors) are `@kindling/client`'s, so the
// contract has one source: Fastify validates and serialises with them and the OpenAPI document is
// generated from them. Here only what is the server's own: its routes' params, and the stop route's
// optional body.

/** The `:id` of a VM's routes. */
export const vmParamsSchema = z.strictObject({ id: vmIdSchema });

/** `POST /v1/vms/:id/stop` may come without a body (a shutdown with the default timeout). */
export const stopVmBodySchema = stopVmRequestSchema.optional();
