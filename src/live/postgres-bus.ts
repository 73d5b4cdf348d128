import type { Db } from '../db/database.js';
import type { LiveMessage } from './bus.js';
import { PostgresBroadcast } from './broadcast.js';

/**
 * The bus of a desk whose server processes share one PostgreSQL database: a reply saved by one
 * process reaches the screens connected to any other.
 */
export class PostgresLiveBus extends PostgresBroadcast<LiveMessage> {
  constructor(db: Db) {
    super(db, 'accord_live');
  }
}
