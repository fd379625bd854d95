import { z } from 'zod';

export class ConfigError extends Error {
  constructor(readonly problems: Array<{ variable: string; message: string }>) {
    super(`invalid configuration: ${problems.map((p) => `${p.variable}: ${p.message}`).join('; ')}`);
    this.name = 'ConfigError';
  }
}

/**
 * Reads configuration once from the environment and validates it. The error names every bad variable.
 * Apps call this in their config provider only; nothing else reads process.env.
 */
export function loadConfig<S extends z.ZodType>(schema: S, env: Record<string, string | undefined> = process.env): z.infer<S> {
  const parsed = schema.safeParse(env);
  if (parsed.success) return parsed.data;
  throw new ConfigError(
    parsed.error.issues.map((issue) => ({ variable: issue.path.join('.') || '(root)', message: issue.message })),
  );
}

/**
 * An optional variable read by `parse` (which gets undefined when it is unset): what `parse` throws becomes that
 * variable's configuration error, with the thrown message.
 */
export const parsedVariable = <T>(parse: (text: string | undefined) => T) =>
  z
    .string()
    .optional()
    .transform((text, ctx): T => {
      try {
        return parse(text);
      } catch (error) {
        ctx.addIssue({ code: 'custom', message: (error as Error).message });
        return z.NEVER;
      }
    });
