/**
 * A Durable Object's storage in memory, for the limits' object logic: each call answers a
 * task later, as a real storage does, so races interleave unless the code keeps them
 * apart; values are copied in and out, as they are serialized there.
 */
import type { CounterStorage } from "../../../lib/gateway/limits/stored_limit_counter.ts";

/** The storage, what it holds, and the alarm last set on it. */
export interface ObjectStorageDouble {
  storage: CounterStorage & {
    setAlarm(at: number): Promise<void>;
    deleteAll(): Promise<void>;
  };
  entries: Map<string, unknown>;
  /** When the alarm is set to ring (Unix ms), or null before one is set. */
  alarm(): number | null;
}

/** A fresh, empty storage. */
export function objectStorageDouble(): ObjectStorageDouble {
  const entries = new Map<string, unknown>();
  let alarm: number | null = null;
  const later = <T>(value: () => T) =>
    new Promise<T>((resolve) => setTimeout(() => resolve(value()), 0));
  const storage = {
    get: <T>(key: string) => later(() => structuredClone(entries.get(key)) as T | undefined),
    put: <T>(key: string, value: T) => later(() => void entries.set(key, structuredClone(value))),
    setAlarm: (at: number) => later(() => void (alarm = at)),
    deleteAll: () => later(() => entries.clear()),
  };
  return { storage, entries, alarm: () => alarm };
}
