import { v7 as uuidv7 } from 'uuid';

/** Time-ordered identifiers: they sort by creation, which keeps index inserts local. */
export const newId = (): string => uuidv7();
