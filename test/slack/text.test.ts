import { describe, expect, it } from 'vitest';
import { escapeText, fromSlackText, packLines, splitText, truncate } from '../../src/slack/text.js';

describe('Slack text helpers', () => {
  it('fromSlackText undoes Slack’s encoding: entities, links, mentions', () => {
    expect(fromSlackText('a &lt;b&gt; &amp;lt; c')).toBe('a <b> &lt; c');
    expect(fromSlackText('see <https://x.test/a?b=1&amp;c=2|the page> or <https://y.test>')).toBe(
      'see the page or https://y.test',
    );
    expect(fromSlackText('<@U123> and <@U456|anna> in <#C1|sales>, <!here>')).toBe(
      '@U123 and anna in sales, @here',
    );
    expect(fromSlackText('mail <mailto:a@b.test|a@b.test>')).toBe('mail a@b.test');
  });

  it('escapeText escapes exactly &, < and >', () => {
    expect(escapeText('a & <b> "c" *d*')).toBe('a &amp; &lt;b&gt; "c" *d*');
    expect(fromSlackText(escapeText('x < y & z > w'))).toBe('x < y & z > w');
  });

  it('truncate never cuts an entity in half', () => {
    expect(truncate('abc &amp; def', 6)).toBe('abc…');
    expect(truncate('short', 10)).toBe('short');
    expect(truncate('abcdefghij', 5)).toBe('abcd…');
  });

  it('splitText cuts at line breaks or spaces, within the limit, outside entities', () => {
    const text = `${'a'.repeat(40)}\n${'b'.repeat(40)} &amp;${'c'.repeat(30)}`;
    const parts = splitText(text, 50);
    expect(parts.every((p) => p.length <= 50)).toBe(true);
    expect(parts[0]).toBe('a'.repeat(40));
    expect(parts.join('')).not.toMatch(/&(?!amp;)/);
    expect(parts.join('').replace(/\s/g, '')).toBe(text.replace(/\s/g, ''));
    expect(splitText('')).toEqual(['']);
  });

  it('packLines fills pieces up to the limit', () => {
    expect(packLines(['aaaa', 'bbbb', 'cccc'], 9)).toEqual(['aaaa\nbbbb', 'cccc']);
    expect(packLines(['x'.repeat(12)], 5).every((p) => p.length <= 5)).toBe(true);
  });
});
