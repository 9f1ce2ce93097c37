import type { CachedDecision } from './decision-cache';

/*
 * What an in-process cache entry costs, estimated from lengths alone, for `cache.memory.maxBytes`.
 * The constants are V8 heap bytes measured by `npm run bench -- memory` (docs/benchmarks.md,
 * "Memory per cached entry"), rounded up: the estimate is meant to be at or above what the heap
 * holds, so the bound holds. What entries hold beyond their slot comes with them as
 * {@link CachedDecision.parts}, estimated by whoever built them.
 */

/** V8's header of a string (map, hash, length), rounded up. */
const STRING_HEADER_BYTES = 16;

/**
 * One entry whatever it holds: the engine's wrapper and map slot, the eviction order's slot, and
 * the {@link CachedDecision} with its boxed expiry (measured: ~250 bytes beyond the key).
 */
const ENTRY_OVERHEAD_BYTES = 256;

/**
 * An entry with a `decoded` form but no `parts`: bytes per byte of its JSON. Compiled IAM policies
 * measured 3 to 18 times their JSON; the largest ratio is taken.
 */
const DECODED_BYTES_PER_PAYLOAD_BYTE = 18;

/** A character beyond Latin-1: V8 then stores two bytes per character (header values never have one). */
const TWO_BYTE = /[\u0100-\uffff]/;

/** Estimated heap bytes of a string: a header and one byte per character (two beyond Latin-1). */
export function stringBytes(text: string): number {
  return STRING_HEADER_BYTES + (TWO_BYTE.test(text) ? text.length * 2 : text.length);
}

/** Estimated bytes of one entry under `key`, what it holds (its parts) not included. */
export function estimateEntryBytes(key: string): number {
  return ENTRY_OVERHEAD_BYTES + stringBytes(key);
}

/**
 * Estimated bytes of what an entry without {@link CachedDecision.parts} holds: its JSON, and its
 * decoded form from the JSON's length. Counted for each such entry (nothing tells what they share).
 */
export function estimateUnpartedBytes(entry: CachedDecision): number {
  const payload = stringBytes(entry.payload);
  return entry.decoded === undefined ? payload : payload * (1 + DECODED_BYTES_PER_PAYLOAD_BYTE);
}
