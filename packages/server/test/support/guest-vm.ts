// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { setTimeout as delay } from 'node:timers/promises';
import { TEST_WAIT_MS } from '@kindling/test-utils';
import type { ApiCaller, ServerFixture } from './server-fixture.js';

/**
 * Creates a VM with a vsock device (its socket in the VM's folder) and waits until its fake
 * guest's exec agent answers (the guest's services come up a moment after the start).
 */
export const createGuestVm = async (
  fixture: ServerFixture,
  api: ApiCaller,
  id: string,
): Promise<void> => {
  const body = fixture.vmBody({ id });
  const source = body['source'] as { configuration: Record<string, unknown> };
  source.configuration['vsock'] = { guest_cid: 3, uds_path: 'v.sock' };
  const created = await api.call('POST', '/v1/vms', body);
  if (created.status !== 201) {
    throw new Error(`creating ${id} answered ${created.status}: ${created.text}`);
  }
  const deadline = Date.now() + TEST_WAIT_MS;
  for (;;) {
    const answer = await api.call('POST', `/v1/vms/${id}/exec`, { argv: ['true'] });
    if (answer.status === 200) {
      return;
    }
    if (Date.now() > deadline) {
      throw new Error(
        `the guest of ${id} did not answer within ${TEST_WAIT_MS} ms: ${answer.text}`,
      );
    }
    await delay(50);
  }
};
