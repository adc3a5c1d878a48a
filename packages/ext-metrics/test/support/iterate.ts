// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { TEST_WAIT_MS } from '@kindling/test-utils';

/** The next entry of an iterator, failing the test after TEST_WAIT_MS. */
export const nextWithin = async <T>(iterator: AsyncIterator<T>): Promise<IteratorResult<T>> => {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no entry within ${TEST_WAIT_MS} ms`)), TEST_WAIT_MS);
  });
  try {
    return await Promise.race([iterator.next(), timeout]);
  } finally {
    clearTimeout(timer);
  }
};

/** The next `count` values of an iterator (each bounded), then checks it is not done early. */
export const takeWithin = async <T>(iterator: AsyncIterator<T>, count: number): Promise<T[]> => {
  const values: T[] = [];
  while (values.length < count) {
    const result = await nextWithin(iterator);
    if (result.done === true) {
      throw new Error(`ended after ${values.length} of ${count} entries`);
    }
    values.push(result.value);
  }
  return values;
};
