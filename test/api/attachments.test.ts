import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseTargets } from '../support/databases.js';
import { TestDesk, type Person } from '../support/desk.js';

// A complete 1x1 PNG.
const PNG = Buffer.from(
  '89504e470d0a1a0a0000000d4948445200000001000000010806000000' +
    '1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082',
  'hex',
);
const EXE = Buffer.concat([Buffer.from('MZ'), Buffer.alloc(200, 0x90)]);

function multipart(parts: { name: string; filename?: string; type?: string; data: Buffer | string }[]) {
  const boundary = '----accordtest' + Math.random().toString(16).slice(2);
  const chunks: Buffer[] = [];
  for (const p of parts) {
    const disposition = `form-data; name="${p.name}"${p.filename !== undefined ? `; filename="${p.filename}"` : ''}`;
    chunks.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: ${disposition}\r\n${p.type ? `Content-Type: ${p.type}\r\n` : ''}\r\n`,
      ),
    );
    chunks.push(Buffer.isBuffer(p.data) ? p.data : Buffer.from(p.data));
    chunks.push(Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return {
    payload: Buffer.concat(chunks),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  };
}

function filesOnDisk(dir: string): number {
  if (!fs.existsSync(dir)) return 0;
  return fs.readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).length;
}

describe.each(databaseTargets())('attachments on $dialect', (target) => {
  let desk: TestDesk;
  let contact: Person;
  let stranger: Person;
  let agent: Person;
  let ticketId: string;
  let storeDir: string;

  beforeAll(async () => {
    desk = await TestDesk.start(target, { MAX_ATTACHMENT_BYTES: '4096' });
    contact = await desk.person('contact', (await desk.organization('premium')).id);
    stranger = await desk.person('contact', (await desk.organization('premium')).id);
    agent = await desk.person('agent');
    ticketId = (await desk.ticket(contact)).id;
    storeDir = path.join(desk.config.dataDir, 'attachments');
  });
  afterAll(() => desk?.close());

  const upload = (token: string, parts: Parameters<typeof multipart>[0], id = ticketId) => {
    const { payload, headers } = multipart(parts);
    return desk.api('POST', `/api/v1/tickets/${id}/attachments`, { token, payload, headers });
  };

  it('stores an image under its detected type and serves it back safely', async () => {
    const res = await upload(contact.token, [
      { name: 'file', filename: '../../etc/screen shot.png', type: 'application/octet-stream', data: PNG },
    ]);
    expect(res.statusCode).toBe(201);
    const a = res.json();
    expect(a).toMatchObject({
      filename: 'screen shot.png',
      contentType: 'image/png',
      size: PNG.length,
      ticketId,
    });
    const download = await desk.api('GET', `/api/v1/attachments/${a.id}`, { token: agent.token });
    expect(download.statusCode).toBe(200);
    expect(download.rawPayload.equals(PNG)).toBe(true);
    expect(download.headers['content-type']).toBe('image/png');
    expect(download.headers['x-content-type-options']).toBe('nosniff');
    expect(String(download.headers['content-disposition'])).toMatch(/^attachment;/);
    const events = (
      await desk.api('GET', `/api/v1/tickets/${ticketId}/events`, { token: contact.token })
    ).json().data;
    expect(events.at(-1)).toMatchObject({ type: 'attachment_added', data: { attachmentId: a.id } });
    expect(
      (await desk.api('GET', `/api/v1/tickets/${ticketId}/attachments`, { token: contact.token })).json()
        .data,
    ).toHaveLength(1);
  });

  it('accepts UTF-8 text logs and refuses disguised or dangerous content, storing nothing', async () => {
    const ok = await upload(contact.token, [
      { name: 'file', filename: 'app.log', type: 'text/plain', data: 'line 1\nligne 2 é\n' },
    ]);
    expect(ok.statusCode).toBe(201);
    expect(ok.json().contentType).toBe('text/plain; charset=utf-8');

    const rows = await desk.count('attachments');
    const files = filesOnDisk(storeDir);
    for (const [filename, type, data] of [
      ['photo.png', 'image/png', EXE],
      ['page.html', 'text/html', '<script>alert(1)</script>'],
      ['icon.svg', 'image/svg+xml', '<svg onload="alert(1)"/>'],
      ['notes.txt', 'text/plain', Buffer.from([0x66, 0x00, 0x6f])],
      ['latin1.txt', 'text/plain', Buffer.from([0x63, 0x61, 0x66, 0xe9])],
    ] as const) {
      const res = await upload(contact.token, [{ name: 'file', filename, type, data: Buffer.from(data) }]);
      expect({ filename, status: res.statusCode }).toEqual({ filename, status: 415 });
    }
    expect(await desk.count('attachments')).toBe(rows);
    expect(filesOnDisk(storeDir)).toBe(files);
  });

  it('refuses an upload over the size cap, an empty file, and malformed forms', async () => {
    const rows = await desk.count('attachments');
    expect(
      (
        await upload(contact.token, [
          { name: 'file', filename: 'big.txt', type: 'text/plain', data: 'x'.repeat(5000) },
        ])
      ).statusCode,
    ).toBe(413);
    expect(
      (await upload(contact.token, [{ name: 'file', filename: 'empty.txt', type: 'text/plain', data: '' }]))
        .statusCode,
    ).toBe(400);
    expect(
      (await upload(contact.token, [{ name: 'other', filename: 'a.txt', type: 'text/plain', data: 'x' }]))
        .statusCode,
    ).toBe(400);
    expect(
      (
        await upload(contact.token, [
          { name: 'messageId', data: 'nope' },
          { name: 'file', filename: 'a.txt', type: 'text/plain', data: 'x' },
        ])
      ).statusCode,
    ).toBe(400);
    expect(
      (
        await upload(contact.token, [
          { name: 'file', filename: 'a.txt', type: 'text/plain', data: 'x' },
          { name: 'file', filename: 'b.txt', type: 'text/plain', data: 'y' },
        ])
      ).statusCode,
    ).toBe(413);
    const broken = await desk.api('POST', `/api/v1/tickets/${ticketId}/attachments`, {
      token: contact.token,
      payload: '--x\r\nContent-Disposition: form-data; name="file"; filename="a.txt"\r\n\r\nunterminated',
      headers: { 'content-type': 'multipart/form-data; boundary=x' },
    });
    expect(broken.statusCode).toBeGreaterThanOrEqual(400);
    expect(broken.statusCode).toBeLessThan(500);
    const notMultipart = await desk.api('POST', `/api/v1/tickets/${ticketId}/attachments`, {
      token: contact.token,
      body: { file: 'x' },
    });
    expect(notMultipart.statusCode).toBe(400);
    expect(await desk.count('attachments')).toBe(rows);
  });

  it('hides attachments from other organizations and internal-note attachments from customers', async () => {
    const a = (
      await upload(contact.token, [
        { name: 'file', filename: 'mine.txt', type: 'text/plain', data: 'private' },
      ])
    ).json();
    expect((await desk.api('GET', `/api/v1/attachments/${a.id}`, { token: stranger.token })).statusCode).toBe(
      404,
    );
    expect(
      (await upload(stranger.token, [{ name: 'file', filename: 'x.txt', type: 'text/plain', data: 'x' }]))
        .statusCode,
    ).toBe(404);

    const note = (
      await desk.api('POST', `/api/v1/tickets/${ticketId}/messages`, {
        token: agent.token,
        body: { body: 'internal trace', public: false },
      })
    ).json();
    const internal = await upload(agent.token, [
      { name: 'messageId', data: note.id },
      { name: 'file', filename: 'trace.txt', type: 'text/plain', data: 'stack' },
    ]);
    expect(internal.statusCode).toBe(201);
    expect(
      (await desk.api('GET', `/api/v1/attachments/${internal.json().id}`, { token: contact.token }))
        .statusCode,
    ).toBe(404);
    expect(
      (await desk.api('GET', `/api/v1/attachments/${internal.json().id}`, { token: agent.token })).statusCode,
    ).toBe(200);
    const listed = (
      await desk.api('GET', `/api/v1/tickets/${ticketId}/attachments`, { token: contact.token })
    ).json().data;
    expect(listed.map((x: { id: string }) => x.id)).not.toContain(internal.json().id);
    // A customer cannot attach to a staff-only note.
    expect(
      (
        await upload(contact.token, [
          { name: 'messageId', data: note.id },
          { name: 'file', filename: 'y.txt', type: 'text/plain', data: 'y' },
        ])
      ).statusCode,
    ).toBe(404);
  });

  it('keeps the event of a file on an internal note from customers', async () => {
    const note = (
      await desk.api('POST', `/api/v1/tickets/${ticketId}/messages`, {
        token: agent.token,
        body: { body: 'dump attached', public: false },
      })
    ).json();
    const file = await upload(agent.token, [
      { name: 'messageId', data: note.id },
      { name: 'file', filename: 'secret-internal-dump.txt', type: 'text/plain', data: 'secret' },
    ]);
    expect(file.statusCode).toBe(201);
    const customerEvents = (
      await desk.api('GET', `/api/v1/tickets/${ticketId}/events?limit=200`, { token: contact.token })
    ).body;
    expect(customerEvents).not.toContain('secret-internal-dump');
    const staffEvents = (
      await desk.api('GET', `/api/v1/tickets/${ticketId}/events?limit=200`, { token: agent.token })
    ).body;
    expect(staffEvents).toContain('secret-internal-dump');
  });
});
