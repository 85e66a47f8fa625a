// Runtime checks for JSON handed to the admin API; a failure is an EmulatorInputError (answered with 400).

export class EmulatorInputError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = this.constructor.name;
  }
}

export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new EmulatorInputError('Body is not valid JSON', { cause: error });
  }
}

export function asRecord(value: unknown, what: string): Readonly<Record<string, unknown>> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new EmulatorInputError(`${what} must be a JSON object`);
  }
  return value as Record<string, unknown>;
}

export function optionalString(record: Readonly<Record<string, unknown>>, key: string): string | undefined {
  const value = record[key];
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value.length === 0)
    throw new EmulatorInputError(`'${key}' must be a non-empty string`);
  return value;
}

export function requireString(record: Readonly<Record<string, unknown>>, key: string): string {
  const value = optionalString(record, key);
  if (value === undefined) throw new EmulatorInputError(`'${key}' is required`);
  return value;
}

export function requireStringArray(record: Readonly<Record<string, unknown>>, key: string): string[] {
  const value = record[key];
  if (!Array.isArray(value) || !value.every((item): item is string => typeof item === 'string')) {
    throw new EmulatorInputError(`'${key}' must be an array of strings`);
  }
  return value;
}
