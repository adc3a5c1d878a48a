// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { createClient, type Client } from '@connectrpc/connect';
import { GuestAgent } from './guest_pb.js';

/** The fake guest's gRPC client. */
export type GuestAgentClient = Client<typeof GuestAgent>;
export const guestAgent = (transport: Parameters<typeof createClient>[1]): GuestAgentClient =>
  createClient(GuestAgent, transport);
