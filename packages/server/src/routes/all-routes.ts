// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import type { FastifyPluginCallbackZod } from 'fastify-type-provider-zod';
import type { ServerServices } from '../server-services.js';
import { eventRoutes } from './event-routes.js';
import { execRoutes } from './exec-routes.js';
import { fileRoutes } from './file-routes.js';
import { vsockRoutes } from './vsock-routes.js';
import { firecrackerRoutes } from './firecracker-routes.js';
import { hostRoutes } from './host-routes.js';
import { vmRoutes } from './vm-routes.js';

/** Every route of the API, in the order the OpenAPI document lists them. */
export const allRoutes =
  (services: ServerServices): FastifyPluginCallbackZod =>
  (app, _options, done) => {
    for (const routes of [
      hostRoutes,
      vmRoutes,
      firecrackerRoutes,
      eventRoutes,
      execRoutes,
      fileRoutes,
      vsockRoutes,
    ]) {
      routes(services)(app);
    }
    done();
  };
