// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

// The exec agent: what runs in the guest. The protocol a host speaks to it is in
// `@kindling/exec-agent/protocol`.

export { EXEC_AGENT_PORT, PROTOCOL_VERSION } from './protocol/index.js';
