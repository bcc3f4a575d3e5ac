// The item object scripts send (`item add --json -`, `tandem ingest`): one schema for both.
import { z } from 'zod';

const CustomerJson = z.union([
  z.string(),
  z.object({
    id: z.number().optional(),
    name: z.string().optional(),
    email: z.string().nullish(),
    phone: z.string().nullish(),
    company: z.string().nullish(),
  }),
]);

export const ItemJson = z.object({
  subject: z.string(),
  body: z.string().nullish(),
  role: z.string().optional(),
  kind: z.string().optional(),
  channel: z.string().optional(),
  direction: z.string().optional(),
  priority: z.string().optional(),
  assignee: z.string().nullish(),
  tags: z.array(z.string()).optional(),
  due: z.string().nullish(),
  externalId: z.string().nullish(),
  customer: CustomerJson.nullish(),
});

/** First problem of a failed parse as "path: message". */
export function firstIssue(error: z.ZodError): string {
  const issue = error.issues[0]!;
  return `${issue.path.join('.') || 'value'}: ${issue.message}`;
}
