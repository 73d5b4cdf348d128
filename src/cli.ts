import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { z } from 'zod';
import { ROLES } from './auth/principal.js';
import { userCreate } from './customers/schema.js';
import { ConfigError, loadConfig, type Config } from './config.js';
import type { Db } from './db/database.js';
import { openMigratedDatabase } from './runtime.js';
import { DEMO_ADMIN, seedDemo } from './seed/demo.js';
import { buildApp } from './server.js';
import { createServices, startServices } from './services.js';
import { Problem } from './shared/problem.js';

/** Exit codes: 0 done, 1 the command failed, 2 the command line was wrong. */
const EXIT_FAILED = 1;
const EXIT_USAGE = 2;

class UsageError extends Error {}

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
  const services = await startServices(config, db);
  const app = await buildApp({ config, services });
  const housekeeping = setInterval(() => {
    services.auth.pruneExpired().catch((err: unknown) => app.log.error({ err }, 'housekeeping failed'));
  }, 3600_000);
  housekeeping.unref();
  const shutdown = async (signal: string) => {
    app.log.info(`${signal}: shutting down`);
    clearInterval(housekeeping);
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
  if (
    demo ||
    (!config.databaseUrl &&
      (await db.kysely
        .selectFrom('users')
        .select('id')
        .where('email', '=', DEMO_ADMIN.email)
        .executeTakeFirst()))
  ) {
    lines.push(`Demo admin login: ${DEMO_ADMIN.email} / ${DEMO_ADMIN.password}`);
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
  return program;
}

export async function runCli(argv: string[]): Promise<number> {
  try {
    await buildCli().parseAsync(argv, { from: 'user' });
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      return error.exitCode === 0 ? 0 : EXIT_USAGE;
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

const code = await runCli(process.argv.slice(2));
// serve keeps running; every other command ends here.
if (code !== 0 || !process.argv.slice(2).includes('serve')) process.exitCode = code;
