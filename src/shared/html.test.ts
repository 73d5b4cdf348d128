import { describe, expect, it } from 'vitest';
import { sanitizeMessageHtml } from './html.js';

describe('sanitizeMessageHtml', () => {
  it('keeps formatting, lists, code and safe links', () => {
    const html = '<p><strong>Bold</strong> <em>it</em></p><ul><li>one</li></ul><pre><code>x = 1</code></pre>';
    expect(sanitizeMessageHtml(html)).toBe(html);
    expect(sanitizeMessageHtml('<a href="https://help.example.test/a">guide</a>')).toBe(
      '<a href="https://help.example.test/a" rel="noopener noreferrer nofollow" target="_blank">guide</a>',
    );
  });

  it.each([
    ['<script>alert(1)</script>hello', 'hello'],
    ['<img src=x onerror=alert(1)>', ''],
    ['<a href="javascript:alert(1)">x</a>', '<a rel="noopener noreferrer nofollow" target="_blank">x</a>'],
    ['<p style="background:url(x)" onclick="y()">t</p>', '<p>t</p>'],
    ['<iframe src="https://evil.test"></iframe>ok', 'ok'],
    ['<svg><circle onload="x()"/></svg>ok', 'ok'],
    ['<a href="//evil.test/x">x</a>', '<a rel="noopener noreferrer nofollow" target="_blank">x</a>'],
    ['<form action="/api"><input name="x"></form>ok', 'ok'],
  ])('removes what runs or loads: %s', (input, expected) => {
    expect(sanitizeMessageHtml(input)).toBe(expected);
  });
});
