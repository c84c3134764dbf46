/**
 * Escaping for values from data (repository names, model ids, strategy slugs) placed in the PR
 * comment's Markdown, inline or in a table cell. A summary file on a `token-data` branch can be
 * written by anyone who can push, so nothing from it may become markup, a link, a mention or a
 * table cell boundary.
 *
 * Characters are replaced by numeric character references rather than backslashes: a reference
 * is inert in both Markdown and the HTML GitHub allows inside it (a backslash means nothing in an
 * HTML attribute), it keeps a `|` from splitting a table cell, and it stops GitHub's own
 * extensions that backslashes do not reliably stop: `@team` mentions, `#123` references,
 * `:emoji:` shortcodes, `$math$` and `https://` autolinks.
 */

/** Markdown, HTML and GitHub-extension syntax characters; letters, digits, `-`, `.`, `/` stay. */
const SPECIAL = /[&<>"'`\\*_[\](){}#|~!@:$]/g;
/** Line breaks and tabs would end a table row or start a block: they become one space. */
const BREAKS = /[\r\n\t\f\v\u2028\u2029]+/g;
/** Other control characters and bidirectional overrides (which can make text read differently). */
const INVISIBLE = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

export function escapeMarkdown(text: string): string {
  return text
    .replace(BREAKS, ' ')
    .replace(INVISIBLE, '')
    .replace(SPECIAL, (char) => `&#${char.codePointAt(0)};`);
}
