// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The Kindling Authors

import { z } from 'zod';

// The server answers with the contract's strict schemas; the client reads answers with a copy in
// which every object, nested ones too, lets unknown keys through: a newer server may add fields,
// and an older client keeps working. Only what the answers are made of is walked (objects,
// optionals, nullables, arrays); anything else is kept as it is.

const loosened = new WeakMap<z.ZodType, z.ZodType>();

const loosen = (schema: z.ZodType): z.ZodType => {
  if (schema instanceof z.ZodObject) {
    const shape = schema.shape as Record<string, z.ZodType>;
    return z.looseObject(
      Object.fromEntries(Object.entries(shape).map(([key, value]) => [key, loosen(value)])),
    );
  }
  if (schema instanceof z.ZodOptional) {
    return loosen(schema.unwrap() as z.ZodType).optional();
  }
  if (schema instanceof z.ZodNullable) {
    return loosen(schema.unwrap() as z.ZodType).nullable();
  }
  if (schema instanceof z.ZodArray) {
    return z.array(loosen(schema.element as z.ZodType));
  }
  return schema;
};

/**
 * An answer schema's loose copy, for parsing: the same rules, but unknown keys kept. Typed as the
 * strict one, whose fields it has; made once per schema.
 */
export const looseAnswer = <Schema extends z.ZodType>(schema: Schema): Schema => {
  let loose = loosened.get(schema);
  if (loose === undefined) {
    loose = loosen(schema);
    loosened.set(schema, loose);
  }
  return loose as Schema;
};
