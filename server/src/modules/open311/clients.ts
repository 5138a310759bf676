import crypto from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import { insertClientIfAbsent } from './repository.js';

export const DEMO_CLIENT_NAME = '演示客户端 / Demo client';

export const hashKey = (key: string) => crypto.createHash('sha256').update(key, 'utf8').digest('hex');

/** 32 random bytes, URL-safe: shown once when issued, only its hash is kept. */
export const newApiKey = () => crypto.randomBytes(32).toString('base64url');

/** The demo city's Open311 key: ZHILI_OPEN311_KEY, or `demo-open311-key`. */
export function open311DemoKey(env: NodeJS.ProcessEnv = process.env): string {
  return env.ZHILI_OPEN311_KEY || 'demo-open311-key';
}

/**
 * Issues the demo key when no client holds it yet; returns whether it did. Call it only where the demo city
 * is seeded, so a real deployment never gets a well-known key by accident.
 */
export async function seedOpen311DemoClient(db: Kysely<Database>, key: string): Promise<boolean> {
  return insertClientIfAbsent(db, DEMO_CLIENT_NAME, hashKey(key));
}
