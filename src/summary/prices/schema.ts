/**
 * The zod schema of the embedded price table. The table is checked against it by the tests and
 * by the refresh script's test; `price.ts` only imports the types, so pricing starts fast.
 */
import { z } from 'zod';

const price = z.number().finite().nonnegative();

/** USD per million tokens for each token type. Keys must be exactly `TOKEN_TYPES` (checked in price.ts). */
const tokenRatesSchema = z.strictObject({
  input: price,
  output: price,
  cacheWrite5m: price,
  cacheWrite1h: price,
  cacheRead: price,
});
export type TokenRates = z.infer<typeof tokenRatesSchema>;

const modelPriceSchema = z.strictObject({
  ...tokenRatesSchema.shape,
  /** USD per 1,000 server-side web search requests. */
  webSearchPerThousand: price.optional(),
  /** Multiplier on all token prices when the response was served in fast/priority mode. */
  fastMultiplier: z.number().finite().positive().optional(),
  /** Whole-request premium once total input exceeds the threshold. */
  longContext: z
    .strictObject({
      thresholdInputTokens: z.number().int().positive(),
      ...tokenRatesSchema.shape,
    })
    .optional(),
  retired: z.literal(true).optional(),
  /** Where the numbers come from (keys of the table's `notes`). */
  comment: z.string().optional(),
});
export type ModelPrice = z.infer<typeof modelPriceSchema>;

export const priceTableSchema = z.strictObject({
  version: z.string().regex(/^\d{4}-\d{2}-\d{2}\.\d+$/),
  source: z.string().min(1),
  sourceDate: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  currency: z.literal('USD'),
  unit: z.literal('per million tokens'),
  notes: z.array(z.string()),
  models: z.record(z.string().min(1), modelPriceSchema),
});
export type PriceTable = z.infer<typeof priceTableSchema>;

