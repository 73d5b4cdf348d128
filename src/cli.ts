import { randomBytes } from 'node:crypto';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { z } from 'zod';
import { principalOf, ROLES } from './auth/principal.js';
import fs, { readFileSync } from 'node:fs';
import { importHelpCenter } from './helpcenter/import.js';
import { importTicketsFile } from './imports/cli.js';
import { userCreate } from './customers/schema.js';
import { instantInput } from './shared/schema.js';
import { diffPolicies, formatDiff } from './policy/diff.js';
import { checkPolicyFile, loadPolicyFile, PolicyError } from './policy/load.js';
import { formatProblem } from './policy/schema.js';
import { PRIORITIES, TIERS, type Priority, type Tier } from './policy/tiers.js';
import { PolicyPublishError, PolicyRegressionError } from './policy/versions.js';
import { ConfigError, loadConfig, type Config } from './config.js';
import type { Db } from './db/database.js';
import { openMigratedDatabase } from './runtime.js';
import { DEMO_ADMIN, seedDemo } from './seed/demo.js';
import { startEmailChannel } from './channels/email/channel.js';
import { DeliveryWorker, startDelivery, transportFor } from './notifications/delivery.js';
import { buildApp } from './server.js';
import { startScheduler } from './sla/scheduler.js';
import { startMaintenanceRunner } from './status/maintenance.js';
import { StatusDeliveryWorker, startStatusDelivery } from './status/subscribers/delivery.js';
import { createServices, startServices } from './services.js';
import { Problem } from './shared/problem.js';

/** Exit codes: 0 done, 1 the command failed, 2 the command line was wrong. */
const EXIT_FAILED = 1;
const EXIT_USAGE = 2;

class UsageError extends Error {}

/**
 * Services for a one-shot command: the default policy published, but no live-bus listener, whose
 * connection would keep the process from exiting on PostgreSQL.
 */
async function commandServices(config: Config, db: Db) {
  const services = createServices(config, db);
  await services.policy.ensureDefault();
  return services;
}

async function withDatabase<T>(work: (config: Config, db: Db) => Promise<T>): Promise<T> {
  const config = loadConfig();
  const db = await openMigratedDatabase(config);
  try {
    return await work(config, db);
  } finally {
    await db.close();
  }
}

const emailArg = (value: string) => {
  if (!z.email().safeParse(value).success) throw new InvalidArgumentError('not an email address');
  return value.toLowerCase();
};

async function serve() {
  const config = loadConfig();
  const db = await openMigratedDatabase(config);
  let demo = false;
  if (!config.databaseUrl && process.env.ACCORD_DEMO !== '0') {
    const empty = !(await db.kysely.selectFrom('users').select('id').limit(1).executeTakeFirst());
    if (empty) demo = (await seedDemo(config, db)).created;
  }
  const demoDesk =
    demo ||
    (!config.databaseUrl &&
      !!(await db.kysely
        .selectFrom('users')
        .select('id')
        .where('email', '=', DEMO_ADMIN.email)
        .executeTakeFirst()));
  // The demo vendor app signs its widget tokens with a secret of this process's own when none is set.
  if (demoDesk && !config.embedSecret) config.embedSecret = randomBytes(32).toString('base64url');
  const services = await startServices(config, db);
  const app = await buildApp({ config, services, demo: demoDesk });
  const housekeeping = setInterval(() => {
    services.auth.pruneExpired().catch((err: unknown) => app.log.error({ err }, 'housekeeping failed'));
  }, 3600_000);
  housekeeping.unref();
  const stopScheduler =
    config.schedulerIntervalMs > 0
      ? startScheduler(services.sla, () => Date.now(), config.schedulerIntervalMs, app.log)
      : async () => undefined;
  // Tickets from before the reports existed get their first-response measure, in the background.
  services.sla
    .backfillMeasures(Date.now())
    .then((n) => {
      if (n > 0) app.log.info(`stored the report measure of ${n} earlier tickets`);
    })
    .catch((err: unknown) => app.log.error({ err }, 'report measure backfill failed'));
  // Scheduled maintenance starts and ends by itself.
  const stopMaintenance =
    config.schedulerIntervalMs > 0
      ? startMaintenanceRunner(services.status, () => Date.now(), config.schedulerIntervalMs, app.log)
      : async () => undefined;
  const stopEmail = await startEmailChannel(config, services.emailIngest, app.log);
  // Every server process delivers; the outbox's claims keep two processes from sending one mail.
  const stopDelivery = startDelivery(
    new DeliveryWorker({
      outbox: services.outbox,
      transport: transportFor(config.mail, config.dataDir),
      clock: () => Date.now(),
      log: app.log,
    }),
    5_000,
    app.log,
  );
  // Status updates to subscribers: mail is handed to the outbox (sent by the worker above), webhooks posted.
  const stopStatusDelivery = startStatusDelivery(
    new StatusDeliveryWorker({
      db: db.kysely,
      dialect: db.dialect,
      outbox: services.outbox,
      clock: () => Date.now(),
      publicUrl: config.publicUrl ?? `http://localhost:${config.port}`,
      supportEmail: config.mail.supportEmail,
      webhookReach: { allowPrivateHosts: config.webhookAllowPrivateHosts },
      log: app.log,
    }),
    5_000,
    app.log,
  );
  const shutdown = async (signal: string) => {
    app.log.info(`${signal}: shutting down`);
    clearInterval(housekeeping);
    await stopEmail();
    await stopScheduler();
    await stopMaintenance();
    await stopStatusDelivery();
    await stopDelivery();
    await app.close();
    await db.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  await app.listen({ port: config.port, host: config.host });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const url =
    config.publicUrl ??
    `http://${config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host}:${port}`;
  const lines = [
    `Accord is running at ${url} (database: ${db.dialect})`,
    `API documentation: ${url}/api/docs`,
  ];
  if (demoDesk) {
    lines.push(`Demo admin login: ${DEMO_ADMIN.email} / ${DEMO_ADMIN.password}`);
    lines.push(`Demo logins for every role, listed on the sign-in page: ${url}/login`);
    lines.push(`Demo vendor app with the in-app support button: ${url}/demo/`);
  }
  process.stdout.write(`${lines.join('\n')}\n`);
}

export function buildCli(): Command {
  const program = new Command('accord')
    .description('Accord support desk')
    .exitOverride()
    .showHelpAfterError()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) });

  program.command('serve').description('Start the server (migrates first)').action(serve);

  program
    .command('migrate')
    .description('Bring the database schema up to date')
    .action(() =>
      withDatabase(async (_config, db) => {
        process.stdout.write(`database ${db.dialect} is up to date\n`);
      }),
    );

  program
    .command('seed')
    .description('Load data into the database')
    .option('--demo', 'the demo desk: four organizations, staff, and tickets')
    .action((options: { demo?: boolean }) => {
      if (!options.demo) throw new UsageError('say what to seed: accord seed --demo');
      return withDatabase(async (config, db) => {
        const { created } = await seedDemo(config, db);
        process.stdout.write(
          created
            ? `demo desk created; admin login ${DEMO_ADMIN.email} / ${DEMO_ADMIN.password}\n`
            : 'demo desk already present; nothing changed\n',
        );
      });
    });

  const user = program.command('user').description('Manage users');
  user
    .command('create')
    .description('Create a user')
    .requiredOption('--email <email>', 'email address', emailArg)
    .requiredOption('--name <name>', 'display name')
    .addOption(new Option('--role <role>', 'role').choices(ROLES).makeOptionMandatory())
    .option('--org <id>', 'organization id (required for contact and member)')
    .option(
      '--password <password>',
      'password (at least 10 characters); without it the user signs in after a reset',
    )
    .action(
      (o: { email: string; name: string; role: (typeof ROLES)[number]; org?: string; password?: string }) =>
        withDatabase(async (config, db) => {
          const input = userCreate.parse({
            email: o.email,
            name: o.name,
            role: o.role,
            ...(o.org ? { organizationId: o.org } : {}),
            ...(o.password ? { password: o.password } : {}),
          });
          const created = await createServices(config, db).users.create(null, input);
          process.stdout.write(`${JSON.stringify(created)}\n`);
        }),
    );

  const token = program.command('token').description('Manage API tokens');
  token
    .command('create')
    .description('Create a personal API token; prints only the token')
    .requiredOption('--email <email>', 'the user the token acts as', emailArg)
    .option('--name <name>', 'a label for the token', 'CLI token')
    .action((o: { email: string; name: string }) =>
      withDatabase(async (config, db) => {
        const created = await createServices(config, db).auth.createTokenForEmail(o.email, o.name);
        process.stdout.write(`${created.token}\n`);
      }),
    );
  const hc = program.command('hc').description('Help center tools');
  hc.command('import')
    .description(
      'Import a help center from a folder: _categories.yaml and Markdown files with front matter (one per article and locale, linked by key); running it again updates what changed',
    )
    .argument('<dir>', 'the folder')
    .option('--author <email>', 'the staff user recorded as author (default: the first admin)', emailArg)
    .action((dir: string, o: { author?: string }) =>
      withDatabase(async (config, db) => {
        if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory())
          throw new UsageError(`${dir} is not a folder`);
        const services = createServices(config, db);
        const author = await helpCenterAuthor(db, o.author);
        const report = await importHelpCenter(
          dir,
          {
            helpCenter: services.helpCenter,
            structure: services.helpCenterStructure,
            repo: services.helpCenterContent,
          },
          principalOf(author, 'token'),
        );
        process.stdout.write(
          `categories ${report.categories}, sections ${report.sections}; articles created ${report.created}, updated ${report.updated}, unchanged ${report.unchanged}; errors ${report.errors.length}\n`,
        );
        for (const e of report.errors) process.stderr.write(`${e.file}: ${e.message}\n`);
        if (report.errors.length > 0) throw new CommandFailed();
      }),
    );

  program
    .command('import')
    .description(
      'Import historic tickets from a JSON lines file (docs/import.md): one ticket per line, with its messages and instants; lines imported before are left unchanged',
    )
    .argument('<file>', 'the .jsonl file')
    .option('--as <email>', 'the admin the import runs as (default: the first admin)', emailArg)
    .action((file: string, o: { as?: string }) =>
      withDatabase(async (config, db) => {
        const services = await commandServices(config, db);
        const report = await importTicketsFile(services.ticketImport, file, o.as);
        if (report.failed > 0) throw new CommandFailed();
      }),
    );

  const policy = program.command('policy').description('Check, compare and publish support policy versions');
  policy
    .command('check')
    .description('Validate a policy file; every problem is printed with its path in the file')
    .argument('<file>', 'a policy YAML file')
    .action((file: string) => {
      const result = checkPolicyFile(file);
      (result.ok ? process.stdout : process.stderr).write(`${result.lines.join('\n')}\n`);
      if (!result.ok) throw new CommandFailed();
    });
  policy
    .command('diff')
    .description(
      'Print what changed between two policy files, marking each change that lowers the service level',
    )
    .argument('<old>', 'the current policy file')
    .argument('<new>', 'the proposed policy file')
    .action((oldFile: string, newFile: string) => {
      const [before, after] = [loadPolicyOrFail(oldFile), loadPolicyOrFail(newFile)];
      process.stdout.write(`${formatDiff(diffPolicies(before, after)).join('\n')}\n`);
    });
  policy
    .command('publish')
    .description(
      'Publish a policy file as a new version (refused if it lowers any tier, unless --allow-regression)',
    )
    .argument('<file>', 'the policy YAML file')
    .requiredOption(
      '--effective <date>',
      'the date the version takes effect (YYYY-MM-DD or ISO date-time)',
      isoArg,
    )
    .option(
      '--allow-regression',
      'publish even though it lowers a service level; running terms keep their version',
    )
    .action((file: string, o: { effective: string; allowRegression?: boolean }) =>
      withDatabase(async (config, db) => {
        const services = await commandServices(config, db);
        let source: string;
        try {
          source = readFileSync(file, 'utf8');
        } catch (error) {
          throw new UsageError(`cannot read ${file}: ${(error as Error).message}`);
        }
        const result = await services.policy.publish(source, {
          effective: o.effective,
          allowRegression: o.allowRegression === true,
          sourceName: file,
        });
        const lines = [
          `published ${result.version.policy.id} version ${result.version.version}, effective ${new Date(result.version.effectiveFrom).toISOString()}`,
        ];
        lines.push(...formatDiff(result.changes));
        if (result.affected.length > 0) {
          lines.push(
            '',
            'Subscriptions in force keep their version until their term ends (policy section 6):',
          );
          for (const a of result.affected)
            lines.push(
              `  ${a.organizationName} (${a.organizationId}), ${a.tier}: keeps ${a.keepsVersion}, moves on ${a.movesAt}`,
            );
        } else {
          lines.push('', 'No subscription in force is affected.');
        }
        process.stdout.write(`${lines.join('\n')}\n`);
      }),
    );

  const sla = program.command('sla').description('Service-level tools');
  sla
    .command('simulate')
    .description('Print the due times a ticket would get, as JSON')
    .addOption(new Option('--tier <tier>', 'support tier').choices(TIERS))
    .addOption(new Option('--priority <priority>', 'priority').choices(PRIORITIES).makeOptionMandatory())
    .requiredOption('--opened <iso>', 'when the ticket is opened (ISO 8601)', isoArg)
    .option('--org <id>', 'an organization whose subscription and contract apply')
    .action((o: { tier?: Tier; priority: Priority; opened: string; org?: string }) =>
      withDatabase(async (config, db) => {
        if (!o.tier && !o.org)
          throw new UsageError('give --tier, or --org for the organization\u2019s own tier');
        const services = await commandServices(config, db);
        const result = await services.slaPreview.simulate(null, {
          tier: o.tier,
          priority: o.priority,
          openedAt: o.opened,
          organizationId: o.org,
        });
        process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
      }),
    );
  return program;
}

/** The command ran and failed; it has already said why. */
class CommandFailed extends Error {}

const isoArg = (value: string) => {
  if (!instantInput.safeParse(value).success)
    throw new InvalidArgumentError('not an ISO 8601 date or date-time');
  return value;
};

function loadPolicyOrFail(file: string) {
  const result = loadPolicyFile(file);
  if (!result.ok) {
    process.stderr.write(`${result.problems.map(formatProblem).join('\n')}\n`);
    throw new CommandFailed();
  }
  return result.policy;
}

export async function runCli(argv: string[]): Promise<number> {
  try {
    await buildCli().parseAsync(argv, { from: 'user' });
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      return error.exitCode === 0 ? 0 : EXIT_USAGE;
    }
    if (error instanceof CommandFailed) return EXIT_FAILED;
    if (error instanceof PolicyRegressionError || error instanceof PolicyPublishError) {
      process.stderr.write(`error: ${error.message}\n`);
      return EXIT_FAILED;
    }
    if (error instanceof PolicyError) {
      process.stderr.write(`${error.message}\n`);
      return EXIT_FAILED;
    }
    if (error instanceof UsageError) {
      process.stderr.write(`error: ${error.message}\n`);
      return EXIT_USAGE;
    }
    if (error instanceof Problem) {
      const details = error.errors?.map((e) => `\n  ${e.field}: ${e.message}`).join('') ?? '';
      process.stderr.write(`error: ${error.detail}${details}\n`);
      return error.status === 400 ? EXIT_USAGE : EXIT_FAILED;
    }
    if (error instanceof z.ZodError) {
      process.stderr.write(
        `error: ${error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}\n`,
      );
      return EXIT_USAGE;
    }
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      return EXIT_USAGE;
    }
    process.stderr.write(
      `error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    return EXIT_FAILED;
  }
}

/** The author of imported articles: the named staff user, or the desk's first admin. */
async function helpCenterAuthor(db: Db, email: string | undefined) {
  const query = db.kysely.selectFrom('users').selectAll().where('deactivated_at', 'is', null);
  const user = email
    ? await query.where('email', '=', email).executeTakeFirst()
    : await query.where('role', '=', 'admin').orderBy('created_at').limit(1).executeTakeFirst();
  if (!user)
    throw new UsageError(email ? `no active user ${email}` : 'create an admin first: accord user create');
  if (!['agent', 'lead', 'admin'].includes(user.role))
    throw new UsageError(`${user.email} is not staff; articles are written by staff`);
  return user;
}

const code = await runCli(process.argv.slice(2));
// serve keeps running; every other command ends here.
if (code !== 0 || !process.argv.slice(2).includes('serve')) process.exitCode = code;
