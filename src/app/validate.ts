/**
 * Validation at the edge of every use case: one zod schema, and a failure that names each
 * field. HTTP, the CLI and jobs all get the same validation_failed error.
 */
import type { z } from 'zod';
import { invalid, type FieldIssue } from '../domain/errors.js';

export function issuesOf(error: z.ZodError): FieldIssue[] {
  return error.issues.map((issue) => {
    let message = issue.message;
    if (issue.code === 'unrecognized_keys') {
      return {
        field: issue.path.join('.'),
        message: `unknown field${issue.keys.length > 1 ? 's' : ''}: ${issue.keys.join(', ')}`,
      };
    }
    if (issue.code === 'invalid_type' && /received undefined/.test(issue.message)) message = 'is required';
    return { field: issue.path.map(String).join('.'), message };
  });
}

export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input);
  if (!result.success) throw invalid(issuesOf(result.error));
  return result.data;
}
