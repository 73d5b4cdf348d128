import path from 'node:path';
import { DiskAttachmentStore, type AttachmentStore } from './attachments/store.js';
import { AuthRepository } from './auth/repository.js';
import { AuthService } from './auth/service.js';
import type { Config } from './config.js';
import { OrganizationsService } from './customers/organizations-service.js';
import { CustomersRepository } from './customers/repository.js';
import { UsersService } from './customers/users-service.js';
import type { Db } from './db/database.js';
import { MailDrop, type Mailer } from './notifications/mailer.js';
import { systemClock, type Clock } from './shared/time.js';
import { TicketsRepository } from './tickets/repository.js';
import { TicketsService } from './tickets/service.js';

export interface Services {
  db: Db;
  auth: AuthService;
  organizations: OrganizationsService;
  users: UsersService;
  tickets: TicketsService;
}

export interface ServiceOverrides {
  clock?: Clock;
  mailer?: Mailer;
  attachments?: AttachmentStore;
}

/** Wires Accord's services to their repositories and side effects; the one place that knows them all. */
export function createServices(config: Config, db: Db, overrides: ServiceOverrides = {}): Services {
  const clock = overrides.clock ?? systemClock;
  const mailer = overrides.mailer ?? new MailDrop(path.join(config.dataDir, 'mail-drop'));
  const attachments =
    overrides.attachments ?? new DiskAttachmentStore(path.join(config.dataDir, 'attachments'));
  const customersRepo = new CustomersRepository(db.kysely, db.dialect);
  const organizations = new OrganizationsService(customersRepo, clock);
  const users = new UsersService(customersRepo, clock);
  const auth = new AuthService({
    repo: new AuthRepository(db.kysely),
    clock,
    mailer,
    sessionTtlMs: config.sessionTtlMs,
    publicUrl: config.publicUrl ?? `http://localhost:${config.port}`,
  });
  const tickets = new TicketsService({
    tickets: new TicketsRepository(db.kysely, db.dialect),
    customers: customersRepo,
    organizations,
    attachments,
    clock,
    maxAttachmentBytes: config.maxAttachmentBytes,
  });
  return { db, auth, organizations, users, tickets };
}
