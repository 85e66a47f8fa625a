// Identifiers the emulator hands out: random GUIDs, stable GUIDs derived from a seed, opaque tokens.
import { createHash, randomBytes, randomUUID } from 'node:crypto';

export function newGuid(): string {
  return randomUUID();
}

/** A name-based (version 5 style) GUID: the same seed always gives the same id. */
export function stableGuid(seed: string): string {
  const bytes = createHash('sha256').update(seed).digest().subarray(0, 16);
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x50;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** An unguessable opaque string, e.g. a refresh token. */
export function opaqueToken(prefix: string): string {
  return prefix + randomBytes(48).toString('base64url');
}

/** A short unique id, like the `uti` claim of Entra tokens. */
export function uniqueTokenId(): string {
  return randomBytes(16).toString('base64url');
}
