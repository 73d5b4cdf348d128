import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import fs from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { ImapFlow } from 'imapflow';

/** Debian's dovecot-imapd (apt-get install -y dovecot-imapd); DOVECOT_PATH points elsewhere. */
export const DOVECOT = process.env.DOVECOT_PATH ?? '/usr/sbin/dovecot';

export interface Dovecot {
  host: string;
  port: number;
  user: string;
  password: string;
  /** imap://user:password@host:port/MAILBOX, user and password URL-encoded; INBOX by default. */
  url(mailbox?: string): string;
  /** APPENDs a message (unseen) to a mailbox, creating the mailbox if needed; `/` separates levels. */
  append(raw: Buffer | string, mailbox?: string): Promise<void>;
  /** The server's own log, for a failing test's message. */
  logs(): string;
  stop(): Promise<void>;
}

export interface DovecotOptions {
  /** Extra lines for dovecot.conf, e.g. an `imap_capability` without MOVE. */
  extraConfig?: string;
}

/** Why a real dovecot cannot run here, or null when it can. */
export function dovecotUnavailable(): string | null {
  if (!existsSync(DOVECOT)) return `dovecot is not installed at ${DOVECOT}`;
  const version = execFileSync(DOVECOT, ['--version'], { encoding: 'utf8' }).trim();
  // 2.4 renamed most of the settings written below (mail_location, passdb args, ...).
  if (!version.startsWith('2.3.'))
    return `dovecot ${version} is installed; test/support/dovecot.ts writes a 2.3 configuration`;
  return null;
}

/**
 * A private dovecot on a free loopback port, with one user and Maildir++ folders (delimiter `.`)
 * in a temporary folder. Throws a clear error when dovecot is unavailable; callers decide whether
 * that is a skip (a workstation) or a failure (CI).
 */
export async function startDovecot(options: DovecotOptions = {}): Promise<Dovecot> {
  const unavailable = dovecotUnavailable();
  if (unavailable) throw new Error(unavailable);

  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'accord-dovecot-'));
  try {
    return await launch(dir, options);
  } catch (error) {
    await fs.rm(dir, { recursive: true, force: true });
    throw error;
  }
}

async function launch(dir: string, options: DovecotOptions): Promise<Dovecot> {
  const host = '127.0.0.1';
  const user = 'accord';
  // Characters that must be URL-encoded, so the poller's decoding is exercised (no `:`, which
  // separates passwd-file fields).
  const password = 'se cret/p@ss%word';
  const port = await freePort(host);
  const mail = mailOwner();
  const self = os.userInfo();

  // Root runs the master, as in production; login processes refuse root, and dovecot refuses
  // mail access as root, so those run unprivileged. A non-root user runs everything as itself.
  const asRoot = self.uid === 0;
  await fs.chmod(dir, 0o755);
  await fs.mkdir(path.join(dir, 'mail'));
  await fs.chown(path.join(dir, 'mail'), mail.uid, mail.gid);
  await fs.writeFile(path.join(dir, 'users'), `${user}:{PLAIN}${password}::::::\n`, { mode: 0o600 });

  const config = `# written by test/support/dovecot.ts for dovecot 2.3
protocols = imap
listen = ${host}
base_dir = ${dir}/run
state_dir = ${dir}/state
log_path = ${dir}/dovecot.log
info_log_path = ${dir}/dovecot-info.log
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
mail_location = maildir:${dir}/mail/%u
first_valid_uid = ${Math.min(mail.uid, self.uid)}
first_valid_gid = ${Math.min(mail.gid, self.gid)}
mail_uid = ${mail.uid}
mail_gid = ${mail.gid}
default_internal_user = ${self.username}
default_login_user = ${asRoot ? 'dovenull' : self.username}
${asRoot ? '' : `default_internal_group = ${groupName(self.gid)}`}
passdb {
  driver = passwd-file
  args = ${dir}/users
}
userdb {
  driver = passwd-file
  args = ${dir}/users
}
service imap-login {
  ${asRoot ? '' : 'chroot ='}
  inet_listener imap {
    address = ${host}
    port = ${port}
  }
  inet_listener imaps {
    port = 0
  }
}
# A wrong password is answered at once, and does not slow down the next logins from 127.0.0.1.
auth_failure_delay = 0
service anvil {
  ${asRoot ? '' : 'chroot ='}
  unix_listener anvil-auth-penalty {
    mode = 0
  }
}
${options.extraConfig ?? ''}
`;
  const configPath = path.join(dir, 'dovecot.conf');
  await fs.writeFile(configPath, config);

  const child = spawn(DOVECOT, ['-F', '-c', configPath], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  const logs = () =>
    output +
    ['dovecot.log', 'dovecot-info.log']
      .map((name) => path.join(dir, name))
      .filter((file) => existsSync(file))
      .map((file) => readFileSync(file, 'utf8'))
      .join('');

  try {
    await waitForPort(host, port, child, 10_000);
  } catch (error) {
    await stopChild(child);
    throw new Error(`${(error as Error).message}\n${logs()}`);
  }

  const url = (mailbox = 'INBOX') =>
    `imap://${encodeURIComponent(user)}:${encodeURIComponent(password)}@${host}:${port}/` +
    mailbox.split('/').map(encodeURIComponent).join('/');

  return {
    host,
    port,
    user,
    password,
    url,
    logs,
    async append(raw, mailbox = 'INBOX') {
      const client = new ImapFlow({
        host,
        port,
        secure: false,
        auth: { user, pass: password },
        logger: false,
      });
      await client.connect();
      try {
        const mailboxPath = mailbox.split('/');
        if (mailbox.toUpperCase() !== 'INBOX') await client.mailboxCreate(mailboxPath);
        const appended = await client.append(mailboxPath, typeof raw === 'string' ? Buffer.from(raw) : raw);
        if (!appended) throw new Error(`dovecot refused to APPEND to ${mailbox}`);
      } finally {
        await client.logout();
      }
    },
    async stop() {
      await stopChild(child);
      await fs.rm(dir, { recursive: true, force: true });
    },
  };
}

/** Mail is stored as the current user, or as nobody when that is root (dovecot refuses root). */
function mailOwner(): { uid: number; gid: number } {
  const uid = process.getuid?.() ?? 0;
  const gid = process.getgid?.() ?? 0;
  if (uid !== 0) return { uid, gid };
  const nobody = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .map((line) => line.split(':'))
    .find((fields) => fields[0] === 'nobody');
  return { uid: Number(nobody?.[2] ?? 65534), gid: Number(nobody?.[3] ?? 65534) };
}

function groupName(gid: number): string {
  const entry = readFileSync('/etc/group', 'utf8')
    .split('\n')
    .map((line) => line.split(':'))
    .find((fields) => Number(fields[2]) === gid);
  if (!entry?.[0]) throw new Error(`no group with id ${gid} in /etc/group`);
  return entry[0];
}

function freePort(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, host, () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

async function waitForPort(host: string, port: number, child: ChildProcess, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null)
      throw new Error(`dovecot exited (${child.exitCode ?? child.signalCode}) before listening`);
    const open = await new Promise<boolean>((resolve) => {
      const socket = net.connect({ host, port });
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (open) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`dovecot did not listen on ${host}:${port} within ${timeoutMs} ms`);
}

function stopChild(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    const killer = setTimeout(() => child.kill('SIGKILL'), 5000);
    child.once('exit', () => {
      clearTimeout(killer);
      resolve();
    });
    // The master stops its login, auth and imap processes before it exits.
    child.kill('SIGTERM');
  });
}
