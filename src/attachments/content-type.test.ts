import { describe, expect, it } from 'vitest';
import { checkContent, cleanFilename } from './content-type.js';

const PNG_HEADER = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');
const PDF = Buffer.from('%PDF-1.7\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n');
const ELF = Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01, 0x01]), Buffer.alloc(100)]);

describe('checkContent', () => {
  it('trusts the bytes over the declared type', async () => {
    expect(await checkContent(PNG_HEADER, 'text/plain', 'a.txt')).toEqual({
      ok: true,
      contentType: 'image/png',
    });
    expect(await checkContent(PDF, 'application/octet-stream', 'report.bin')).toEqual({
      ok: true,
      contentType: 'application/pdf',
    });
  });

  it('refuses executables whatever they claim to be', async () => {
    const result = await checkContent(ELF, 'image/png', 'cat.png');
    expect(result.ok).toBe(false);
  });

  it('accepts UTF-8 text by declared type or extension, and only UTF-8', async () => {
    expect(await checkContent(Buffer.from('a,b\n1,2\n'), 'application/octet-stream', 'data.csv')).toEqual({
      ok: true,
      contentType: 'text/csv; charset=utf-8',
    });
    expect(await checkContent(Buffer.from('{"a":1}'), 'application/json', 'x')).toEqual({
      ok: true,
      contentType: 'application/json',
    });
    expect((await checkContent(Buffer.from([0x41, 0xc3, 0x28, 0x41]), 'text/plain', 'x.txt')).ok).toBe(false);
    expect(
      (await checkContent(Buffer.from('<html><script>x</script></html>'), 'text/html', 'x.html')).ok,
    ).toBe(false);
    expect((await checkContent(Buffer.from('<svg/>'), 'image/svg+xml', 'x.svg')).ok).toBe(false);
    expect((await checkContent(Buffer.from('plain words'), '', 'noextension')).ok).toBe(false);
  });
});

describe('cleanFilename', () => {
  it.each([
    ['../../etc/passwd', 'passwd'],
    ['C:\\Users\\me\\report.pdf', 'report.pdf'],
    ['evil\u0000name\r\n.txt', 'evil_name__.txt'],
    ['"quoted"<>.log', '_quoted___.log'],
    ['..', 'attachment'],
    ['', 'attachment'],
    ['résumé 😀.pdf', 'résumé 😀.pdf'],
    ['invoice\u202Efdp.exe', 'invoicefdp.exe'],
  ])('%j becomes %j', (raw, expected) => {
    expect(cleanFilename(raw)).toBe(expected);
  });

  it('keeps the end of a very long name, where the extension is', () => {
    const name = cleanFilename(`${'a'.repeat(500)}.png`);
    expect(name).toHaveLength(200);
    expect(name.endsWith('.png')).toBe(true);
  });
});
